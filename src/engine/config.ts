/**
 * Configuration resolution: a model's defaults overlaid with `key=value` settings, each parsed and
 * range-checked against the model's declared parameters. Every problem is a one-line UsageError.
 */
import { UsageError } from './errors.js';
import type { AnyModel, Config, ConfigValue } from './types.js';

/**
 * A plain decimal integer (`0`, `42`, `-5`: no `+`, spaces, leading zeros, exponent), else null.
 * Huge ones come back as large (or infinite) numbers, for the caller's range check to reject.
 */
export function parsePlainInt(text: string): number | null {
  return /^(0|-?[1-9]\d*)$/.test(text) ? Number(text) : null;
}

export function parseSetting(text: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`--set expects key=value, got '${clip(text)}'`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}

export function resolveConfig(
  model: AnyModel,
  settings: Readonly<Record<string, string | ConfigValue>>,
): Config {
  const config: Record<string, ConfigValue> = { ...model.defaultConfig };
  for (const [key, raw] of Object.entries(settings)) {
    const param = Object.hasOwn(model.params, key) ? model.params[key] : undefined;
    if (param === undefined) {
      throw new UsageError(
        `model '${model.name}' has no setting '${clip(key)}' (settings: ${Object.keys(model.params).join(', ')})`,
      );
    }
    config[key] = parseValue(model.name, key, param, raw);
  }
  model.validate?.(config);
  return config;
}

/** A user's text in a message: at most 40 characters. */
export function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function parseValue(
  modelName: string,
  key: string,
  param: AnyModel['params'][string],
  raw: string | ConfigValue,
): ConfigValue {
  const where = `${modelName}: setting '${key}'`;
  switch (param.type) {
    case 'int': {
      const n = typeof raw === 'number' ? raw : parsePlainInt(String(raw));
      if (n === null || !Number.isInteger(n))
        throw new UsageError(`${where} expects an integer, got '${clip(String(raw))}'`);
      if (n < param.min || n > param.max) {
        throw new UsageError(
          `${where} must be between ${param.min} and ${param.max}, got ${clip(String(raw))}`,
        );
      }
      return n;
    }
    case 'bool': {
      if (raw === true || raw === 'true' || raw === '1') return true;
      if (raw === false || raw === 'false' || raw === '0') return false;
      throw new UsageError(`${where} expects true or false, got '${clip(String(raw))}'`);
    }
    case 'text':
      return String(raw);
    case 'enum': {
      const s = String(raw);
      if (!param.values.includes(s))
        throw new UsageError(`${where} expects one of ${param.values.join('|')}, got '${clip(s)}'`);
      return s;
    }
  }
}
