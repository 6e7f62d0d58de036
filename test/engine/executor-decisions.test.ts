/**
 * The executor's decision encoding and scheduler protocol (src/engine/executor.ts): thread picks and
 * data choices as recorded decisions, and the begin/pick/end calls a scheduler receives.
 */
import { describe, expect, it } from 'vitest';
import { execute } from '../../src/engine/executor.js';
import { newThread } from '../../src/engine/instance.js';
import type { Scheduler } from '../../src/engine/scheduler.js';
import { roundRobinScheduler } from '../../src/engine/schedulers/roundRobin.js';
import { tapeScheduler } from '../../src/engine/schedulers/tape.js';
import type { Procedure } from '../../src/engine/types.js';
import { ret } from '../../src/engine/types.js';
import { instance, opts } from './support/toyModels.js';

describe('decisions', () => {
  type S = { picks: number[] };
  const chooser: Procedure<S> = {
    name: 'chooser',
    entry: 'a',
    steps: {
      a: {
        run: (s, _f, ctx) => {
          s.picks.push(ctx.choose(4, 'four'), ctx.choose(1, 'one'), ctx.choose(2, 'two'));
          return ret();
        },
      },
    },
  };
  const inst = instance<S>({
    init: () => ({
      shared: { picks: [] },
      threads: [newThread(0, 'A', chooser), newThread(1, 'B', chooser)],
    }),
    procedures: { chooser },
  });

  it('encodes a thread pick as 2*tid and a data choice as 2*v+1; arity-1 choices are not recorded', () => {
    const e = execute(inst, tapeScheduler([1, 3, 1, 0, 2, 0]), 0, opts());
    expect(e.violation).toBeNull();
    expect(e.state.shared.picks).toEqual([3, 0, 1, 2, 0, 0]);
    expect(e.decisions).toEqual([2, 7, 3, 0, 5, 1]);
  });

  it('calls begin(run) before and end(steps) after the execution, passing current and step', () => {
    const calls: string[] = [];
    const inner = roundRobinScheduler();
    const spy: Scheduler = {
      name: 'spy',
      begin: (run) => {
        calls.push(`begin ${run}`);
        inner.begin(run);
      },
      pickThread: (enabled, current, step) => {
        calls.push(`pick [${enabled.join(',')}] ${current} ${step}`);
        return inner.pickThread(enabled, current, step);
      },
      pickData: (arity, what, tid) => {
        calls.push(`data ${arity} ${what} ${tid}`);
        return 0;
      },
      end: (steps) => calls.push(`end ${steps}`),
    };
    execute(inst, spy, 1, opts());
    expect(calls).toEqual([
      'begin 1',
      'pick [0,1] null 0',
      'data 4 four 1',
      'data 2 two 1',
      'pick [0] 1 1',
      'data 4 four 0',
      'data 2 two 0',
      'end 2',
    ]);
  });
});
