/** Model registry: every model selectable with `--model`, by name. */
import { UsageError } from '../engine/errors.js';
import type { AnyModel } from '../engine/types.js';
import { almosModel } from './almos/model.js';
import { lockInversion } from './examples/lockInversion.js';
import { lostUpdate } from './examples/lostUpdate.js';
import { mutexCounter } from './examples/mutexCounter.js';
import { peterson, petersonBroken } from './examples/peterson.js';
import { politeBackoff } from './examples/politeBackoff.js';

export const models: readonly AnyModel[] = [
  almosModel,
  lostUpdate,
  mutexCounter,
  peterson,
  petersonBroken,
  lockInversion,
  politeBackoff,
];

export function findModel(name: string): AnyModel {
  const m = models.find((x) => x.name === name);
  if (m === undefined)
    throw new UsageError(`unknown model '${name}' (models: ${models.map((x) => x.name).join(', ')})`);
  return m;
}
