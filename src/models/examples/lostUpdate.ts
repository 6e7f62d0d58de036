/**
 * lost-update: N threads each increment a shared counter `increments` times with a separate load and
 * store (`v = x; x = v + 1`). Two loads before either store lose an update, so the quiescent
 * invariant `noLostUpdate` (x == threads * increments) fails. The classic first bug for any checker.
 */
import { newThread } from '../../engine/instance.js';
import type { Access, Model, Procedure } from '../../engine/types.js';
import { ret } from '../../engine/types.js';

export interface LostUpdateShared {
  x: number;
}
type Config = { threads: number; increments: number };

const readX: readonly Access[] = [{ obj: 'x', write: false }];
const writeX: readonly Access[] = [{ obj: 'x', write: true }];

const increment: Procedure<LostUpdateShared> = {
  name: 'increment',
  entry: 'load',
  steps: {
    load: {
      footprint: () => readX,
      run(s, f) {
        f.locals.v = s.x;
        return 'store';
      },
    },
    store: {
      progress: true,
      footprint: () => writeX,
      run(s, f) {
        s.x = (f.locals.v as number) + 1;
        f.locals.i = (f.locals.i as number) + 1;
        return (f.locals.i as number) < (f.locals.n as number) ? 'load' : ret();
      },
    },
  },
};

export const lostUpdate: Model<LostUpdateShared, Config> = {
  name: 'lost-update',
  summary: 'N threads increment a counter with separate load and store (bug: lost update)',
  params: {
    threads: { type: 'int', min: 1, max: 6, doc: 'number of incrementing threads' },
    increments: { type: 'int', min: 1, max: 4, doc: 'increments per thread' },
  },
  defaultConfig: { threads: 2, increments: 1 },
  init: (c) => ({
    shared: { x: 0 },
    threads: Array.from({ length: c.threads }, (_, i) =>
      newThread(i, `T${i}`, increment, { i: 0, n: c.increments, v: 0 }),
    ),
  }),
  procedures: { increment },
  invariants: (c) => [
    {
      name: 'noLostUpdate',
      when: 'quiescent',
      reads: ['x'],
      check: (st) =>
        st.shared.x === c.threads * c.increments
          ? null
          : `x = ${st.shared.x}, expected ${c.threads * c.increments}`,
    },
  ],
  mayAccess: (st, tid) => (st.threads[tid]?.stack.length ? writeX : []),
};
