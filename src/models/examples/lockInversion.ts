/**
 * lock-inversion: the ABBA deadlock (what Linux lockdep reports as "possible circular locking
 * dependency"). Two threads each take two spinlocks `a` and `b` and release them; T0 takes a then b,
 * T1 takes b then a. Taking a lock is an await, so once each holds its first lock neither is enabled:
 * expected `violation:deadlock`. With `ordered`, both take a then b (a global lock order) and every
 * run completes: expected pass.
 * Contract: `lock.<name>` is -1 when free, else the holder's thread id.
 */
import { newThread } from '../../engine/instance.js';
import type { Access, Frame, Model, Procedure } from '../../engine/types.js';
import { ret } from '../../engine/types.js';

export interface LockInversionShared {
  lock: { a: number; b: number };
}
type LockName = keyof LockInversionShared['lock'];
type Config = { ordered: boolean };

const lockFree = -1;
const first = (f: Frame) => f.locals.first as LockName;
const second = (f: Frame) => f.locals.second as LockName;
const writeLock = (name: LockName): readonly Access[] => [{ obj: `lock.${name}`, write: true }];

const twoLocks: Procedure<LockInversionShared> = {
  name: 'twoLocks',
  entry: 'lockFirst',
  steps: {
    lockFirst: {
      footprint: (_s, f) => writeLock(first(f)),
      guard: (s, f) => s.lock[first(f)] === lockFree,
      run(s, f, ctx) {
        s.lock[first(f)] = ctx.tid;
        return 'lockSecond';
      },
    },
    lockSecond: {
      progress: true,
      footprint: (_s, f) => writeLock(second(f)),
      guard: (s, f) => s.lock[second(f)] === lockFree,
      run(s, f, ctx) {
        s.lock[second(f)] = ctx.tid;
        return 'unlockSecond';
      },
    },
    unlockSecond: {
      footprint: (_s, f) => writeLock(second(f)),
      run(s, f, ctx) {
        if (s.lock[second(f)] !== ctx.tid)
          ctx.fail(`unlockSecond: lock ${second(f)} not held by T${ctx.tid}`);
        s.lock[second(f)] = lockFree;
        return 'unlockFirst';
      },
    },
    unlockFirst: {
      footprint: (_s, f) => writeLock(first(f)),
      run(s, f, ctx) {
        if (s.lock[first(f)] !== ctx.tid) ctx.fail(`unlockFirst: lock ${first(f)} not held by T${ctx.tid}`);
        s.lock[first(f)] = lockFree;
        return ret();
      },
    },
  },
};

export const lockInversion: Model<LockInversionShared, Config> = {
  name: 'lock-inversion',
  summary: 'two threads take locks a and b in opposite orders (bug: ABBA deadlock)',
  params: { ordered: { type: 'bool', doc: 'both threads take a then b (the fix)' } },
  defaultConfig: { ordered: false },
  init: (c) => ({
    shared: { lock: { a: lockFree, b: lockFree } },
    threads: [
      newThread(0, 'T0', twoLocks, { first: 'a', second: 'b' }),
      newThread(1, 'T1', twoLocks, c.ordered ? { first: 'a', second: 'b' } : { first: 'b', second: 'a' }),
    ],
  }),
  procedures: { twoLocks },
  invariants: () => [],
  mayAccess: (st, tid) => {
    const frame = st.threads[tid]?.stack[0];
    if (frame === undefined) return [];
    // Each lock is touched until the thread releases it; `unlockFirst` is the last step.
    return frame.pc === 'unlockFirst'
      ? writeLock(first(frame))
      : [...writeLock(first(frame)), ...writeLock(second(frame))];
  },
};
