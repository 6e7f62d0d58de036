/**
 * Invariant timing in the executor (src/engine/executor.ts): per-step invariants on the initial
 * state and after every step, quiescent ones when all threads are done or model.quiescent holds, and
 * checkInvariants off.
 */
import { describe, expect, it } from 'vitest';
import { execute } from '../../src/engine/executor.js';
import { Instance, newThread } from '../../src/engine/instance.js';
import { roundRobinScheduler } from '../../src/engine/schedulers/roundRobin.js';
import { tapeScheduler } from '../../src/engine/schedulers/tape.js';
import type { Invariant, Model, Procedure } from '../../src/engine/types.js';
import { ret } from '../../src/engine/types.js';
import { lostUpdate } from '../../src/models/examples/lostUpdate.js';
import { instance, opts, serial } from './support/toyModels.js';

describe('invariant checking', () => {
  type S = { x: number; phase: string };
  const bump: Procedure<S> = {
    name: 'bump',
    entry: 'inc',
    steps: {
      inc: {
        run: (s, f) => {
          s.x++;
          f.locals.i = (f.locals.i as number) + 1;
          s.phase = (f.locals.i as number) % 2 === 0 ? 'idle' : 'busy';
          return (f.locals.i as number) < 3 ? 'inc' : ret();
        },
      },
    },
  };
  const build = (invs: Invariant<S>[], quiescent?: Model<S>['quiescent']) =>
    instance<S>({
      init: () => ({
        shared: { x: 0, phase: 'idle' },
        threads: [newThread(0, 'A', bump, { i: 0 }), newThread(1, 'B', bump, { i: 0 })],
      }),
      procedures: { bump },
      invariants: () => invs,
      ...(quiescent ? { quiescent } : {}),
    });

  it('checks a per-step invariant on the initial state and after every step', () => {
    const seen: number[] = [];
    const inst = build([
      {
        name: 'observe',
        when: 'step',
        check: (st) => {
          seen.push(st.shared.x);
          return null;
        },
      },
    ]);
    const e = execute(inst, roundRobinScheduler(), 0, opts());
    expect(e.violation).toBeNull();
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('reports the first step after which a per-step invariant fails', () => {
    const inst = build([
      { name: 'xSmall', when: 'step', check: (st) => (st.shared.x <= 3 ? null : `x = ${st.shared.x}`) },
    ]);
    const e = execute(inst, roundRobinScheduler(), 0, opts());
    expect(e.violation).toEqual({ kind: 'invariant', name: 'xSmall', message: 'x = 4', step: 4 });
    expect(e.steps).toBe(4);
  });

  it('reports an invariant violated in the initial state at step 0', () => {
    const inst = build([{ name: 'never', when: 'step', check: () => 'broken from the start' }]);
    const e = execute(inst, roundRobinScheduler(), 0, opts());
    expect(e.violation).toEqual({
      kind: 'invariant',
      name: 'never',
      message: 'broken from the start',
      step: 0,
    });
    expect(e.steps).toBe(0);
  });

  it('checks a quiescent invariant only once every thread is done (default)', () => {
    const seen: number[] = [];
    const inst = build([
      {
        name: 'final',
        when: 'quiescent',
        check: (st) => {
          seen.push(st.shared.x);
          return st.shared.x === 6 ? null : 'x != 6';
        },
      },
    ]);
    const e = execute(inst, roundRobinScheduler(), 0, opts());
    expect(e.violation).toBeNull();
    expect(seen).toEqual([6]);
  });

  it('reports a failing quiescent invariant at the last step', () => {
    const inst = build([{ name: 'final', when: 'quiescent', check: () => 'always wrong' }]);
    const e = execute(inst, roundRobinScheduler(), 0, opts());
    expect(e.violation).toEqual({ kind: 'invariant', name: 'final', message: 'always wrong', step: 6 });
  });

  it('checks a quiescent invariant in the states model.quiescent names', () => {
    const seen: number[] = [];
    const inst = build(
      [
        {
          name: 'atIdle',
          when: 'quiescent',
          check: (st) => {
            seen.push(st.shared.x);
            return null;
          },
        },
      ],
      (st) => st.shared.phase === 'idle',
    );
    // The initial state (x 0) is idle; serial: A makes x 1 (busy), 2 (idle), 3 (busy, done);
    // B makes x 4 (busy), 5 (idle), 6 (busy).
    const e = execute(inst, serial(), 0, opts());
    expect(e.violation).toBeNull();
    expect(seen).toEqual([0, 2, 5]);
  });

  it('skips invariants when checkInvariants is false (built-in checks stay on)', () => {
    const inst = build([
      { name: 'never', when: 'step', check: () => 'broken' },
      { name: 'final', when: 'quiescent', check: () => 'broken' },
    ]);
    const e = execute(inst, roundRobinScheduler(), 0, opts({ checkInvariants: false }));
    expect(e.violation).toBeNull();
    expect(
      execute(inst, roundRobinScheduler(), 0, opts({ checkInvariants: false, maxSteps: 2 })).violation?.kind,
    ).toBe('livelock');
  });

  it('finds the lost update of lost-update (quiescent noLostUpdate)', () => {
    const inst = new Instance(lostUpdate, { threads: 2, increments: 1 });
    const e = execute(inst, tapeScheduler([0, 1, 0, 1]), 0, opts());
    expect(e.violation).toEqual({
      kind: 'invariant',
      name: 'noLostUpdate',
      message: 'x = 1, expected 2',
      step: 4,
    });
    expect(execute(inst, serial(), 0, opts()).violation).toBeNull();
  });
});
