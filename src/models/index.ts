/** Model registry: every model selectable with `--model`, by name. */
import { UsageError } from '../engine/errors.js';
import type { AnyModel } from '../engine/types.js';
import { lostUpdate } from './examples/lostUpdate.js';

export const models: readonly AnyModel[] = [lostUpdate];

export function findModel(name: string): AnyModel {
  const m = models.find((x) => x.name === name);
  if (m === undefined) throw new UsageError(`unknown model '${name}' (models: ${models.map((x) => x.name).join(', ')})`);
  return m;
}
