/**
 * The executor's no-progress checks (src/engine/executor.ts) on small inline models: deadlock (no
 * thread enabled while some are not done) and livelock (the step budget exhausted).
 */
import { describe, expect, it } from 'vitest';
import { execute } from '../../src/engine/executor.js';
import { newThread } from '../../src/engine/instance.js';
import { roundRobinScheduler } from '../../src/engine/schedulers/roundRobin.js';
import { tapeScheduler } from '../../src/engine/schedulers/tape.js';
import type { Procedure } from '../../src/engine/types.js';
import { block, ret } from '../../src/engine/types.js';
import { instance, opts, serial } from './support/toyModels.js';

describe('deadlock detection', () => {
  type S = { flag: boolean };
  const waiter: Procedure<S> = {
    name: 'waiter',
    entry: 'wait',
    steps: { wait: { guard: (s) => s.flag, run: () => ret() } },
  };
  const other: Procedure<S> = { name: 'other', entry: 'work', steps: { work: { run: () => ret() } } };

  it('reports a thread blocked by its guard forever while the others are done', () => {
    const inst = instance<S>({
      init: () => ({
        shared: { flag: false },
        threads: [newThread(0, 'W', waiter), newThread(1, 'O', other)],
      }),
      procedures: { waiter, other },
    });
    const e = execute(inst, serial(), 0, opts());
    expect(e.violation).toEqual({
      kind: 'deadlock',
      name: 'deadlock',
      message: 'no thread enabled: W at waiter.wait',
      step: 1,
    });
    expect(e.steps).toBe(1);
    expect(e.state.threads[1]?.stack).toEqual([]);
  });

  it('names a thread blocked on a condition and what it waits for', () => {
    const sleeper: Procedure<S> = {
      name: 'sleeper',
      entry: 'sleep',
      steps: { sleep: { run: () => block('cv', 'after') }, after: { run: () => ret() } },
    };
    const inst = instance<S>({
      init: () => ({ shared: { flag: false }, threads: [newThread(0, 'Z', sleeper)] }),
      procedures: { sleeper },
    });
    const e = execute(inst, serial(), 0, opts());
    expect(e.violation?.kind).toBe('deadlock');
    expect(e.violation?.message).toBe('no thread enabled: Z at sleeper.after blocked on cv');
  });

  it('names every stuck thread (lock-order inversion)', () => {
    type L = { a: number | null; b: number | null };
    const lockPair = (first: 'a' | 'b', second: 'a' | 'b'): Procedure<L> => ({
      name: `lock_${first}${second}`,
      entry: 'first',
      steps: {
        first: {
          guard: (s) => s[first] === null,
          run: (s, _f, ctx) => {
            s[first] = ctx.tid;
            return 'second';
          },
        },
        second: {
          guard: (s) => s[second] === null,
          run: (s, _f, ctx) => {
            s[second] = ctx.tid;
            return 'release';
          },
        },
        release: {
          run: (s) => {
            s[first] = null;
            s[second] = null;
            return ret();
          },
        },
      },
    });
    const ab = lockPair('a', 'b');
    const ba = lockPair('b', 'a');
    const inst = instance<L>({
      init: () => ({ shared: { a: null, b: null }, threads: [newThread(0, 'P', ab), newThread(1, 'Q', ba)] }),
      procedures: { [ab.name]: ab, [ba.name]: ba },
    });
    const e = execute(inst, tapeScheduler([0, 1]), 0, opts());
    expect(e.violation).toEqual({
      kind: 'deadlock',
      name: 'deadlock',
      message: 'no thread enabled: P at lock_ab.second, Q at lock_ba.second',
      step: 2,
    });
    // Serially there is no deadlock.
    expect(execute(inst, serial(), 0, opts()).violation).toBeNull();
  });

  it('does not report a deadlock when every thread is done', () => {
    const inst = instance<S>({
      init: () => ({
        shared: { flag: true },
        threads: [newThread(0, 'W', waiter), newThread(1, 'O', other)],
      }),
      procedures: { waiter, other },
    });
    const e = execute(inst, roundRobinScheduler(), 0, opts());
    expect(e.violation).toBeNull();
    expect(e.steps).toBe(2);
  });
});

describe('livelock (step budget)', () => {
  type S = { n: number };
  const spin: Procedure<S> = {
    name: 'spin',
    entry: 'loop',
    steps: {
      loop: {
        run: (s) => {
          s.n++;
          return 'loop';
        },
      },
    },
  };
  const inst = instance<S>({
    init: () => ({ shared: { n: 0 }, threads: [newThread(0, 'S', spin)] }),
    procedures: { spin },
  });

  it('reports an infinite loop as livelock at maxSteps', () => {
    const e = execute(inst, serial(), 0, opts({ maxSteps: 50 }));
    expect(e.violation).toEqual({
      kind: 'livelock',
      name: 'livelock',
      message: 'step budget of 50 exhausted',
      step: 50,
    });
    expect(e.steps).toBe(50);
    expect(e.state.shared.n).toBe(50);
    expect(e.decisions).toHaveLength(50);
  });

  it('does not report a run that finishes exactly at the budget', () => {
    const counted: Procedure<S> = {
      name: 'counted',
      entry: 'loop',
      steps: {
        loop: {
          run: (s) => {
            s.n++;
            return s.n < 10 ? 'loop' : ret();
          },
        },
      },
    };
    const i2 = instance<S>({
      init: () => ({ shared: { n: 0 }, threads: [newThread(0, 'C', counted)] }),
      procedures: { counted },
    });
    expect(execute(i2, serial(), 0, opts({ maxSteps: 10 })).violation).toBeNull();
    expect(execute(i2, serial(), 0, opts({ maxSteps: 9 })).violation?.kind).toBe('livelock');
  });
});
