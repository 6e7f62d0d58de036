/**
 * The executor (src/engine/executor.ts) on failing steps: ctx.fail as an assertion violation, and
 * exceptions and bad step results (unknown labels, targets, threads, choose arity) as HarnessErrors.
 */
import { describe, expect, it } from 'vitest';
import { HarnessError, ModelFailure } from '../../src/engine/errors.js';
import { execute } from '../../src/engine/executor.js';
import { newThread } from '../../src/engine/instance.js';
import type { Procedure } from '../../src/engine/types.js';
import { asThreadId, call, ret } from '../../src/engine/types.js';
import { instance, opts, serial } from './support/toyModels.js';

describe('assertions and harness errors', () => {
  type S = { x: number };
  it('turns ctx.fail into an assertion violation with the message, stopping the run', () => {
    const p: Procedure<S> = {
      name: 'p',
      entry: 'a',
      steps: {
        a: {
          run: (s) => {
            s.x = 1;
            return 'b';
          },
        },
        b: { run: (_s, _f, ctx) => ctx.fail('handleCow: forks underflow') },
      },
    };
    const inst = instance<S>({
      init: () => ({ shared: { x: 0 }, threads: [newThread(0, 'T0', p), newThread(1, 'T1', p)] }),
      procedures: { p },
    });
    const e = execute(inst, serial(), 0, opts());
    expect(e.violation).toEqual({
      kind: 'assertion',
      name: 'assertion',
      message: 'handleCow: forks underflow',
      step: 2,
    });
    expect(e.steps).toBe(2);
    expect(e.state.threads[1]?.stack[0]?.pc).toBe('a');
  });

  it('turns a TypeError thrown by a step into a HarnessError naming the step', () => {
    const p: Procedure<S> = {
      name: 'p',
      entry: 'broken',
      steps: {
        broken: {
          run: (_s, f) => {
            (f.locals.missing as unknown as { x: number }).x = 1;
            return 'broken';
          },
        },
      },
    };
    const inst = instance<S>({
      init: () => ({ shared: { x: 0 }, threads: [newThread(0, 'T', p)] }),
      procedures: { p },
    });
    let error: unknown = null;
    try {
      execute(inst, serial(), 0, opts());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HarnessError);
    expect(error).not.toBeInstanceOf(ModelFailure);
    expect((error as Error).message).toMatch(/^p\.broken threw: /);
  });

  it('reports an unknown goto label, call target, spawn target and bad choose arity as HarnessErrors', () => {
    const cases: [string, Procedure<S>['steps'][string]['run'], RegExp][] = [
      ['goto', () => 'nowhere', /procedure 'p' has no step 'nowhere'/],
      ['call', () => call('ghost', {}, 'a'), /p\.a calls unknown 'ghost'/],
      [
        'spawn',
        (_s, _f, ctx) => {
          ctx.spawn('x', 'ghost', {});
          return ret();
        },
        /spawn of unknown procedure 'ghost'/,
      ],
      [
        'choose',
        (_s, _f, ctx) => {
          ctx.choose(0, 'nothing');
          return ret();
        },
        /choose\(0\) for 'nothing'/,
      ],
      [
        'wake',
        (_s, _f, ctx) => {
          ctx.wake(asThreadId(9));
          return ret();
        },
        /wake of unknown thread 9/,
      ],
    ];
    for (const [, run, message] of cases) {
      const p: Procedure<S> = { name: 'p', entry: 'a', steps: { a: { run } } };
      const inst = instance<S>({
        init: () => ({ shared: { x: 0 }, threads: [newThread(0, 'T', p)] }),
        procedures: { p },
      });
      expect(() => execute(inst, serial(), 0, opts())).toThrow(HarnessError);
      expect(() => execute(inst, serial(), 0, opts())).toThrow(message);
    }
  });
});
