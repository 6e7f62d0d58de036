/**
 * The model under check: a registered model bound to its resolved configuration (defaults overlaid
 * with `--set` or recorded settings, range-checked by the engine), ready to execute.
 */
import { resolveConfig } from '../engine/config.js';
import { Instance } from '../engine/instance.js';
import type { AnyModel, Config, ConfigValue } from '../engine/types.js';
import { findModel } from '../models/index.js';

export interface Target {
  readonly model: AnyModel;
  readonly config: Config;
  readonly inst: Instance;
}

/** Throws UsageError for an unknown model, an unknown setting, or a value out of range. */
export function loadTarget(
  modelName: string,
  settings: Readonly<Record<string, string | ConfigValue>>,
): Target {
  const model = findModel(modelName);
  const config = resolveConfig(model, settings);
  return { model, config, inst: new Instance(model, config) };
}

/** `key=value` pairs in the model's parameter order, e.g. `threads=2 increments=1`. */
export function showConfig(config: Config): string {
  const entries = Object.entries(config);
  const show = (v: unknown) => {
    const text = String(v);
    return text.length > 40
      ? `<${text.trimStart().startsWith('{') ? 'JSON' : 'text'}, ${text.length} chars>`
      : text;
  };
  return entries.length === 0 ? '(defaults)' : entries.map(([k, v]) => `${k}=${show(v)}`).join(' ');
}
