/**
 * Model.proceduresFor (src/engine/types.ts): a model whose configuration selects variants of some
 * procedures gets, per Instance, the table proceduresFor builds from the model's own `procedures`
 * (or from a modified copy of them); without it, the Instance runs `procedures` as they are.
 */
import { describe, expect, it } from 'vitest';
import { execute } from '../../src/engine/executor.js';
import { Instance, newThread } from '../../src/engine/instance.js';
import type { Model, Procedure } from '../../src/engine/types.js';
import { ret } from '../../src/engine/types.js';
import { opts, serial, w } from './support/toyModels.js';

type S = { x: number };
const setX = (x: number): Procedure<S> => ({
  name: 'setX',
  entry: 'store',
  steps: {
    store: {
      footprint: () => [w('x')],
      run(s) {
        s.x = x;
        return ret();
      },
    },
  },
});
const one = setX(1);
const model: Model<S, { variant: boolean }> = {
  name: 'variants',
  summary: 'setX stores 1, or 2 when the variant is selected',
  params: { variant: { type: 'bool', doc: 'select the variant' } },
  defaultConfig: { variant: false },
  init: () => ({ shared: { x: 0 }, threads: [newThread(0, 'T0', one)] }),
  procedures: { setX: one },
  proceduresFor: (c, table) => (c.variant && table.setX === one ? { ...table, setX: setX(2) } : table),
  invariants: () => [],
};
const x = (m: Model<S, { variant: boolean }>, variant: boolean) =>
  execute(new Instance<S>(m, { variant }), serial(), 0, opts({ trace: true })).state.shared.x;

describe('Model.proceduresFor', () => {
  it('selects the procedures of each configuration', () => {
    expect([x(model, false), x(model, true)]).toEqual([1, 2]);
    expect(new Instance<S>(model, { variant: false }).procedures).toBe(model.procedures);
  });

  it('gets the table of a copy of the model, so a replaced procedure can be kept', () => {
    const mine = { ...model, procedures: { setX: { ...setX(3), name: 'setX' } } };
    expect([x(mine, false), x(mine, true)]).toEqual([3, 3]);
  });

  it('absent: the model procedures as they are', () => {
    const { proceduresFor: _, ...plain } = model;
    expect([x(plain, false), x(plain, true)]).toEqual([1, 1]);
  });
});
