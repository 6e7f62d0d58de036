/**
 * Footprint validation in trace mode (src/engine/executor.ts): a step's shared writes, wakes and
 * spawns must be covered by its declared footprint, else a HarnessError.
 */
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/engine/errors.js';
import { execute } from '../../src/engine/executor.js';
import { newThread } from '../../src/engine/instance.js';
import { tapeScheduler } from '../../src/engine/schedulers/tape.js';
import type { Access, Procedure } from '../../src/engine/types.js';
import { asThreadId, block, ret } from '../../src/engine/types.js';
import { instance, opts, r, serial, w } from './support/toyModels.js';

describe('footprint validation (trace mode)', () => {
  type S = { x: number; y: number; gpt: { pte: number[] } };
  const run = (steps: Procedure<S>['steps'], extra: Procedure<S>[] = []) => {
    const p: Procedure<S> = { name: 'p', entry: 'a', steps };
    const procs = Object.fromEntries([p, ...extra].map((q) => [q.name, q]));
    const threads = () => [newThread(0, 'T0', p), ...extra.map((q, i) => newThread(i + 1, `U${i + 1}`, q))];
    const inst = instance<S>({
      init: () => ({ shared: { x: 0, y: 0, gpt: { pte: [0, 0] } }, threads: threads() }),
      procedures: procs,
    });
    return (trace: boolean) => execute(inst, serial(), 0, opts({ trace }));
  };

  it('rejects a shared write missing from the declared footprint', () => {
    const go = run({
      a: {
        footprint: () => [w('x')],
        run: (s) => {
          s.x = 1;
          s.y = 2;
          return ret();
        },
      },
    });
    expect(() => go(true)).toThrow(HarnessError);
    expect(() => go(true)).toThrow("footprint of p.a misses its write to 'y'");
    expect(go(false).violation).toBeNull();
  });

  it('rejects a write declared only as a read', () => {
    const go = run({
      a: {
        footprint: () => [r('x')],
        run: (s) => {
          s.x = 1;
          return ret();
        },
      },
    });
    expect(() => go(true)).toThrow("footprint of p.a misses its write to 'x'");
  });

  it('accepts writes covered by a parent path, and no footprint at all (unknown)', () => {
    const covered = run({
      a: {
        footprint: () => [w('gpt')],
        run: (s) => {
          s.gpt.pte[1] = 5;
          return ret();
        },
      },
    });
    expect(covered(true).violation).toBeNull();
    const sibling = run({
      a: {
        footprint: () => [w('gpt.pte.0')],
        run: (s) => {
          s.gpt.pte[1] = 5;
          return ret();
        },
      },
    });
    expect(() => sibling(true)).toThrow("footprint of p.a misses its write to 'gpt.pte.1'");
    const undeclared = run({
      a: {
        run: (s) => {
          s.y = 9;
          return ret();
        },
      },
    });
    expect(undeclared(true).violation).toBeNull();
  });

  it("rejects a wake of another thread without '@t<id>'", () => {
    const sleeper: Procedure<S> = {
      name: 'sleeper',
      entry: 'z',
      steps: {
        z: { footprint: () => [], run: () => block('bell', 'done') },
        done: { footprint: () => [], run: () => ret() },
      },
    };
    // U1 sleeps first, then T0 wakes it: a change to thread 1 that '@t10' does not cover.
    const p: Procedure<S> = {
      name: 'p',
      entry: 'a',
      steps: {
        a: {
          footprint: () => [w('@t10')],
          run: (_s, _f, ctx) => {
            ctx.wake(asThreadId(1));
            return ret();
          },
        },
      },
    };
    const inst = instance<S>({
      init: () => ({
        shared: { x: 0, y: 0, gpt: { pte: [] } },
        threads: [newThread(0, 'T0', p), newThread(1, 'U1', sleeper)],
      }),
      procedures: { p, sleeper },
    });
    expect(() => execute(inst, tapeScheduler([1, 0]), 0, opts({ trace: true }))).toThrow(
      'footprint of p.a misses its write to thread @t1',
    );
    expect(execute(inst, tapeScheduler([1, 0]), 0, opts()).violation).toBeNull();
    const declared: Procedure<S> = { ...p, steps: { a: { ...p.steps.a!, footprint: () => [w('@t1')] } } };
    const inst2 = instance<S>({
      init: () => ({
        shared: { x: 0, y: 0, gpt: { pte: [] } },
        threads: [newThread(0, 'T0', declared), newThread(1, 'U1', sleeper)],
      }),
      procedures: { p: declared, sleeper },
    });
    expect(execute(inst2, tapeScheduler([1, 0]), 0, opts({ trace: true })).violation).toBeNull();
  });

  it("rejects a spawn without '@spawn'", () => {
    const kid: Procedure<S> = { name: 'kid', entry: 'k', steps: { k: { run: () => ret() } } };
    const go = (footprint: Access[]) => {
      const p: Procedure<S> = {
        name: 'p',
        entry: 'a',
        steps: {
          a: {
            footprint: () => footprint,
            run: (_s, _f, ctx) => {
              ctx.spawn('K', 'kid', {});
              return ret();
            },
          },
        },
      };
      const inst = instance<S>({
        init: () => ({ shared: { x: 0, y: 0, gpt: { pte: [] } }, threads: [newThread(0, 'T0', p)] }),
        procedures: { p, kid },
      });
      return execute(inst, serial(), 0, opts({ trace: true }));
    };
    expect(() => go([w('x')])).toThrow("footprint of p.a spawns without '@spawn'");
    expect(go([w('@spawn')]).violation).toBeNull();
  });
});

describe('footprints get the context run gets; procedures declare their locals', () => {
  type T = { slot: number[] };
  /** Each thread writes its own slot, `by` times; the footprint finds the slot from ctx.tid, as run does. */
  const own: Procedure<T, { by: number; done: number }> = {
    name: 'own',
    entry: 'write',
    steps: {
      write: {
        footprint: (_s, _f, ctx) => [w(`slot.${ctx.tid}`)],
        run(s, f, ctx) {
          s.slot[ctx.tid] = (s.slot[ctx.tid] as number) + 1;
          f.locals.done = (f.locals.done ?? 0) + 1;
          return f.locals.done < f.locals.by ? 'write' : ret(f.locals.done);
        },
      },
    },
  };
  const inst = instance<T>({
    init: () => ({
      shared: { slot: [0, 0] },
      threads: [newThread(0, 'T0', own, { by: 2 }), newThread(1, 'T1', own, { by: 1 })],
    }),
    // A procedure with typed locals is a Procedure<T> (plain Locals) in a table.
    procedures: { own },
  });

  it('each thread declares its own slot, and a traced run validates that', () => {
    const state = inst.init();
    expect([0, 1].map((t) => inst.footprint(state, asThreadId(t)))).toEqual([[w('slot.0')], [w('slot.1')]]);
    const e = execute(inst, tapeScheduler([1, 0]), 0, opts({ trace: true }));
    expect(e.violation).toBeNull();
    expect(e.state.shared.slot).toEqual([2, 1]);
    expect(e.trace?.map((x) => `${x.tid}:${x.footprint}`)).toEqual([
      '1:w:slot.1',
      '0:w:slot.0',
      '0:w:slot.0',
    ]);
  });

  it("a footprint that names another thread's slot is caught", () => {
    const wrong = {
      ...own,
      name: 'wrong',
      steps: { write: { ...own.steps.write!, footprint: () => [w('slot.0')] } },
    };
    const mixed = instance<T>({
      init: () => ({
        shared: { slot: [0, 0] },
        threads: [newThread(0, 'T0', wrong, { by: 1 }), newThread(1, 'T1', wrong, { by: 1 })],
      }),
      procedures: { wrong },
    });
    expect(() => execute(mixed, tapeScheduler([1, 0]), 0, opts({ trace: true }))).toThrow(
      "footprint of wrong.write misses its write to 'slot.1'",
    );
    expect(execute(mixed, tapeScheduler([1, 0]), 0, opts()).violation).toBeNull();
  });
});
