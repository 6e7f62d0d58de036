/**
 * Step invariants are re-checked only after steps whose declared writes touch what they read
 * (`reads`, with `*` wildcards), always when they read thread frames or declare no reads.
 */
import { describe, expect, it } from 'vitest';
import { execute } from '../../src/engine/executor.js';
import { overlaps, segmentsOverlap } from '../../src/engine/footprint.js';
import { Instance, newThread } from '../../src/engine/instance.js';
import { roundRobinScheduler } from '../../src/engine/schedulers/roundRobin.js';
import type { Invariant, Model, Procedure } from '../../src/engine/types.js';
import { ret } from '../../src/engine/types.js';

type S = { a: { x: number; lock: number }[]; b: number };
const prog: Procedure<S> = {
  name: 'prog',
  entry: 'lock',
  steps: {
    lock: {
      footprint: () => [{ obj: 'a.0.lock', write: true }],
      run(s) {
        (s.a[0] as { lock: number }).lock = 1;
        return 'x';
      },
    },
    x: {
      footprint: () => [{ obj: 'a.0.x', write: true }],
      run(s) {
        (s.a[0] as { x: number }).x = 1;
        return 'b';
      },
    },
    b: {
      footprint: () => [{ obj: 'b', write: true }],
      run(s) {
        s.b = 1;
        return 'local';
      },
    },
    local: { footprint: () => [], run: () => ret() },
  },
};

function model(invariants: Invariant<S>[]): Model<S> {
  return {
    name: 'skip',
    summary: 'test',
    params: {},
    defaultConfig: {},
    init: () => ({ shared: { a: [{ x: 0, lock: 0 }], b: 0 }, threads: [newThread(0, 'T0', prog)] }),
    procedures: { prog },
    invariants: () => invariants,
  };
}

describe('invariant skipping by footprint', () => {
  it('checks an invariant only after the steps writing what it reads', () => {
    const calls: Record<string, number> = { xs: 0, b: 0, threads: 0, all: 0 };
    const count = (k: string) => () => {
      calls[k] = (calls[k] as number) + 1;
      return null;
    };
    const inst = new Instance(
      model([
        { name: 'xs', when: 'step', reads: ['a.*.x'], check: count('xs') },
        { name: 'b', when: 'step', reads: ['b'], check: count('b') },
        { name: 'threads', when: 'step', reads: ['b'], readsThreads: true, check: count('threads') },
        { name: 'all', when: 'step', check: count('all') },
      ]),
      {},
    );
    execute(inst, roundRobinScheduler(), 0, { maxSteps: 100, checkInvariants: true, trace: false });
    // Initial state: all four; then 4 steps: 'x' touches a.0.x, 'b' touches b.
    expect(calls).toEqual({ xs: 2, b: 2, threads: 5, all: 5 });
  });

  it('still reports a violation made by a step that writes what the invariant reads', () => {
    const inst = new Instance(
      model([
        {
          name: 'bStaysZero',
          when: 'step',
          reads: ['b'],
          check: (st) => (st.shared.b === 0 ? null : 'b changed'),
        },
      ]),
      {},
    );
    const e = execute(inst, roundRobinScheduler(), 0, { maxSteps: 100, checkInvariants: true, trace: false });
    expect(e.violation).toMatchObject({ name: 'bStaysZero', step: 3 });
  });

  it('matches wildcard segments and prefixes', () => {
    expect(overlaps('proc.*.copy.*.gpt', 'proc.0.copy.1.gpt.5')).toBe(true);
    expect(overlaps('proc.*.copy.*.gpt', 'proc.0.copy.1.gptLock')).toBe(false);
    expect(overlaps('proc.*.copy.*.gpt', 'proc.2')).toBe(true);
    expect(overlaps('page.*.free', 'page.3.lock')).toBe(false);
    expect(overlaps('', 'anything')).toBe(true);
    expect(segmentsOverlap([], ['a'])).toBe(true);
  });
});
