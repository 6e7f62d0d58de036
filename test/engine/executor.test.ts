/**
 * The executor (src/engine/executor.ts) and the step primitive it relies on (src/engine/instance.ts),
 * on small inline models: built-in checks (deadlock, livelock, assertion), harness errors, call/ret,
 * block/wake, spawn, invariant timing, traces, footprint validation and the decision encoding.
 */
import { describe, expect, it } from 'vitest';
import { HarnessError, ModelFailure } from '../../src/engine/errors.js';
import { type ExecOptions, execute } from '../../src/engine/executor.js';
import { Instance, newThread } from '../../src/engine/instance.js';
import type { Scheduler } from '../../src/engine/scheduler.js';
import { randomScheduler } from '../../src/engine/schedulers/random.js';
import { roundRobinScheduler } from '../../src/engine/schedulers/roundRobin.js';
import { tapeScheduler } from '../../src/engine/schedulers/tape.js';
import type { Access, Invariant, Model, Procedure, SystemState, ThreadId } from '../../src/engine/types.js';
import { asThreadId, block, call, ret } from '../../src/engine/types.js';
import { lostUpdate } from '../../src/models/examples/lostUpdate.js';

type Parts<S> = Pick<Model<S>, 'init' | 'procedures'> & Partial<Model<S>>;

function instance<S>(parts: Parts<S>): Instance<S> {
  const model: Model<S> = {
    name: 'inline',
    summary: 'inline test model',
    params: {},
    defaultConfig: {},
    invariants: () => [],
    ...parts,
  };
  return new Instance<S>(model, {});
}

const opts = (o: Partial<ExecOptions> = {}): ExecOptions => ({
  maxSteps: 1000,
  checkInvariants: true,
  trace: false,
  ...o,
});
const w = (obj: string): Access => ({ obj, write: true });
const r = (obj: string): Access => ({ obj, write: false });

/** Runs thread 0 to completion first, then thread 1, etc. (lowest id first, non-preemptive). */
const serial = (): Scheduler => tapeScheduler([]);

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

describe('call / ret', () => {
  type S = { result: number | null; trail: string[] };
  const add: Procedure<S> = {
    name: 'add',
    entry: 'sum',
    steps: {
      sum: {
        run: (s, f) => {
          s.trail.push('add.sum');
          return ret((f.locals.a as number) + (f.locals.b as number));
        },
      },
    },
  };
  const twice: Procedure<S> = {
    name: 'twice',
    entry: 'first',
    steps: {
      first: {
        run: (_s, f) => call('add', { a: f.locals.n as number, b: f.locals.n as number }, 'second', 'r'),
      },
      second: { run: (_s, f) => ret((f.locals.r as number) + 1) },
    },
  };
  const main: Procedure<S> = {
    name: 'main',
    entry: 'go',
    steps: {
      go: { run: () => call('add', { a: 2, b: 3 }, 'after', 'sum') },
      after: { run: (_s, f) => call('twice', { n: f.locals.sum as number }, 'nested', 'deep') },
      nested: { run: () => call('add', { a: 0, b: 0 }, 'last') },
      last: {
        run: (s, f) => {
          s.result = (f.locals.deep as number) * 100 + (f.locals.sum as number);
          return ret();
        },
      },
    },
  };
  const inst = instance<S>({
    init: () => ({ shared: { result: null, trail: [] }, threads: [newThread(0, 'M', main, { sum: -1 })] }),
    procedures: { add, twice, main },
  });

  it('passes return values into the named caller local, nested calls included', () => {
    const e = execute(inst, serial(), 0, opts());
    expect(e.violation).toBeNull();
    // sum = 5; deep = twice(5) = add(5,5) + 1 = 11; the call without `into` leaves locals unchanged.
    expect(e.state.shared.result).toBe(1105);
    expect(e.state.shared.trail).toEqual(['add.sum', 'add.sum', 'add.sum']);
    expect(e.state.threads[0]?.stack).toEqual([]);
  });

  it('pushes a frame at the callee entry with the args as locals, the caller moves to the return label', () => {
    const state = inst.init();
    inst.execStep(state, asThreadId(0), () => 0);
    expect(state.threads[0]?.stack).toEqual([
      { proc: 'main', pc: 'after', locals: { sum: -1 }, into: null },
      { proc: 'add', pc: 'sum', locals: { a: 2, b: 3 }, into: 'sum' },
    ]);
    inst.execStep(state, asThreadId(0), () => 0);
    expect(state.threads[0]?.stack).toEqual([{ proc: 'main', pc: 'after', locals: { sum: 5 }, into: null }]);
  });
});

describe('block and wake (Mesa semantics)', () => {
  type S = { ready: boolean; blocks: number };
  const waiter: Procedure<S> = {
    name: 'waiter',
    entry: 'check',
    steps: {
      check: {
        run: (s) => {
          if (s.ready) return 'done';
          s.blocks++;
          return block('ready', 'check');
        },
      },
      done: { run: () => ret() },
    },
  };
  const waker: Procedure<S> = {
    name: 'waker',
    entry: 'spurious',
    steps: {
      spurious: {
        run: (_s, _f, ctx) => {
          ctx.wake(asThreadId(0));
          return 'set';
        },
      },
      set: {
        run: (s, _f, ctx) => {
          s.ready = true;
          ctx.wake(asThreadId(0));
          return ret();
        },
      },
    },
  };
  const inst = instance<S>({
    init: () => ({
      shared: { ready: false, blocks: 0 },
      threads: [newThread(0, 'W', waiter), newThread(1, 'K', waker)],
    }),
    procedures: { waiter, waker },
  });

  it('a blocked thread is not enabled until woken, and a woken thread re-checks its condition', () => {
    const state = inst.init();
    const enabled: ThreadId[] = [];
    const step = (tid: number) => inst.execStep(state, asThreadId(tid), () => 0);
    step(0);
    expect(state.threads[0]?.blockedOn).toBe('ready');
    expect(state.threads[0]?.stack[0]?.pc).toBe('check');
    expect(inst.enabledInto(state, enabled)).toBe(1);
    expect(enabled).toEqual([1]);
    step(1); // spurious wake: the condition still does not hold
    expect(state.threads[0]?.blockedOn).toBeNull();
    expect(inst.enabledInto(state, enabled)).toBe(2);
    step(0); // re-checks, blocks again
    expect(state.shared.blocks).toBe(2);
    expect(state.threads[0]?.blockedOn).toBe('ready');
    step(1);
    step(0);
    expect(state.threads[0]?.stack[0]?.pc).toBe('done');
  });

  it('runs the same interleaving through the executor', () => {
    const e = execute(inst, tapeScheduler([0, 0, 0, 0, 0]), 0, opts());
    expect(e.violation).toBeNull();
    expect(e.state.shared.blocks).toBe(2);
    expect(e.steps).toBe(6);
    expect(e.decisions).toEqual([0, 2, 0, 2, 0, 0]);
  });
});

describe('spawn', () => {
  type S = { ids: number[]; ran: string[] };
  const child: Procedure<S> = {
    name: 'child',
    entry: 'run',
    steps: {
      run: {
        run: (s, f, ctx) => {
          s.ran.push(`${f.locals.tag}@${ctx.tid}`);
          return ret();
        },
      },
    },
  };
  const parent: Procedure<S> = {
    name: 'parent',
    entry: 'fork',
    steps: {
      fork: {
        run: (s, _f, ctx) => {
          s.ids.push(ctx.spawn('c1', 'child', { tag: 'a' }), ctx.spawn('c2', 'child', { tag: 'b' }));
          return 'again';
        },
      },
      again: {
        run: (s, _f, ctx) => {
          s.ids.push(ctx.spawn('c3', 'child', { tag: 'c' }));
          return ret();
        },
      },
    },
  };
  const inst = instance<S>({
    init: () => ({
      shared: { ids: [], ran: [] },
      threads: [newThread(0, 'P', parent), newThread(1, 'Q', child, { tag: 'q' })],
    }),
    procedures: { parent, child },
  });

  it('creates threads with ids allocated in order, at the entry of their procedure', () => {
    const e = execute(inst, serial(), 0, opts());
    expect(e.violation).toBeNull();
    expect(e.state.shared.ids).toEqual([2, 3, 4]);
    expect(e.state.threads.map((t) => [t.id, t.name])).toEqual([
      [0, 'P'],
      [1, 'Q'],
      [2, 'c1'],
      [3, 'c2'],
      [4, 'c3'],
    ]);
    expect(e.state.shared.ran).toEqual(['q@1', 'a@2', 'b@3', 'c@4']);
  });

  it('a spawned thread starts enabled at its entry step', () => {
    const state = inst.init();
    inst.execStep(state, asThreadId(0), () => 0);
    expect(state.threads[2]).toEqual({
      id: 2,
      name: 'c1',
      stack: [{ proc: 'child', pc: 'run', locals: { tag: 'a' }, into: null }],
      blockedOn: null,
    });
    const enabled: ThreadId[] = [];
    inst.enabledInto(state, enabled);
    expect(enabled).toEqual([0, 1, 2, 3]);
  });
});

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

describe('trace mode', () => {
  type S = { x: number; slots: number[] };
  const worker: Procedure<S> = {
    name: 'worker',
    entry: 'pick',
    steps: {
      pick: {
        footprint: () => [w('slots')],
        run: (s, f, ctx) => {
          const a = ctx.choose(3, 'slot');
          const b = ctx.choose(2, 'value');
          ctx.choose(1, 'forced');
          s.slots[a] = b + 10;
          f.locals.last = a;
          return 'store';
        },
      },
      store: {
        footprint: (_s, f) => [r(`slots.${f.locals.last}`), w('x')],
        run: (s, f) => {
          s.x = s.slots[f.locals.last as number] as number;
          return ret();
        },
      },
    },
  };
  const inst = instance<S>({
    init: () => ({ shared: { x: 0, slots: [0, 0, 0] }, threads: [newThread(0, 'W0', worker, { last: -1 })] }),
    procedures: { worker },
  });

  it('is null unless asked for', () => {
    expect(execute(inst, serial(), 0, opts()).trace).toBeNull();
  });

  it('records label proc.label, thread, footprint, the choices of the step and the changes with paths', () => {
    const e = execute(inst, tapeScheduler([0, 2, 1]), 0, opts({ trace: true }));
    expect(e.violation).toBeNull();
    expect(e.trace).toEqual([
      {
        step: 1,
        tid: 0,
        thread: 'W0',
        label: 'worker.pick',
        footprint: ['w:slots'],
        choices: [2, 1],
        changes: [
          { path: 'slots.2', from: 0, to: 11 },
          { path: '@t0[0].pc', from: 'pick', to: 'store' },
          { path: '@t0[0].last', from: -1, to: 2 },
        ],
      },
      {
        step: 2,
        tid: 0,
        thread: 'W0',
        label: 'worker.store',
        footprint: ['r:slots.2', 'w:x'],
        choices: [],
        changes: [
          { path: 'x', from: 0, to: 11 },
          { path: '@t0[0]', from: 'worker.store', to: undefined },
        ],
      },
    ]);
  });

  it('records spawned threads, pushed frames and blocking as thread changes', () => {
    type T = { n: number };
    const kid: Procedure<T> = {
      name: 'kid',
      entry: 'k',
      steps: { k: { footprint: () => [], run: () => ret() } },
    };
    const callee: Procedure<T> = {
      name: 'callee',
      entry: 'c',
      steps: { c: { footprint: () => [], run: () => ret(7) } },
    };
    const boss: Procedure<T> = {
      name: 'boss',
      entry: 'spawn',
      steps: {
        spawn: {
          footprint: () => [w('@spawn')],
          run: (_s, _f, ctx) => {
            ctx.spawn('K', 'kid', {});
            return 'call';
          },
        },
        call: { footprint: () => [], run: () => call('callee', { a: 1 }, 'sleep', 'got') },
        sleep: { footprint: () => [], run: () => block('nothing', 'end') },
        end: { footprint: () => [], run: () => ret() },
      },
    };
    const i2 = instance<T>({
      init: () => ({ shared: { n: 0 }, threads: [newThread(0, 'B', boss)] }),
      procedures: { boss, kid, callee },
    });
    const e = execute(i2, tapeScheduler([0, 0, 0, 0, 0]), 0, opts({ trace: true }));
    expect(e.violation?.kind).toBe('deadlock');
    const changes = (e.trace ?? []).map((t) => [t.label, t.changes]);
    expect(changes).toEqual([
      [
        'boss.spawn',
        [
          { path: '@t0[0].pc', from: 'spawn', to: 'call' },
          { path: '@t1', from: undefined, to: 'spawned K at kid' },
        ],
      ],
      [
        'boss.call',
        [
          { path: '@t0[0].pc', from: 'call', to: 'sleep' },
          { path: '@t0[1]', from: undefined, to: 'callee.c' },
          { path: '@t0[1].a', from: undefined, to: 1 },
        ],
      ],
      [
        'callee.c',
        [
          { path: '@t0[0].got', from: undefined, to: 7 },
          { path: '@t0[1]', from: 'callee.c', to: undefined },
        ],
      ],
      [
        'boss.sleep',
        [
          { path: '@t0.blockedOn', from: null, to: 'nothing' },
          { path: '@t0[0].pc', from: 'sleep', to: 'end' },
        ],
      ],
      ['kid.k', [{ path: '@t1[0]', from: 'kid.k', to: undefined }]],
    ]);
  });

  it('records the failing step of an assertion too', () => {
    const p: Procedure<S> = {
      name: 'p',
      entry: 'a',
      steps: { a: { footprint: () => [], run: (_s, _f, ctx) => ctx.fail(`boom ${ctx.choose(4, 'c')}`) } },
    };
    const i2 = instance<S>({
      init: () => ({ shared: { x: 0, slots: [] }, threads: [newThread(0, 'T', p)] }),
      procedures: { p },
    });
    const e = execute(i2, tapeScheduler([0, 3]), 0, opts({ trace: true }));
    expect(e.violation).toMatchObject({ kind: 'assertion', message: 'boom 3', step: 1 });
    expect(e.trace).toEqual([
      { step: 1, tid: 0, thread: 'T', label: 'p.a', footprint: [], choices: [3], changes: [] },
    ]);
  });

  it('gives the same decisions and final state with and without tracing', () => {
    const i3 = new Instance(lostUpdate, { threads: 3, increments: 2 });
    const a = execute(i3, randomScheduler(3), 5, opts());
    const b = execute(i3, randomScheduler(3), 5, opts({ trace: true }));
    expect(b.decisions).toEqual(a.decisions);
    expect(b.state).toEqual(a.state);
    expect(b.violation).toEqual(a.violation);
    expect(b.trace).toHaveLength(b.steps);
  });
});

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

describe('Instance helpers', () => {
  it('newThread builds a thread at the procedure entry', () => {
    const p: Procedure<null> = { name: 'p', entry: 'start', steps: { start: { run: () => ret() } } };
    expect(newThread(3, 'N', p, { a: 1 })).toEqual({
      id: 3,
      name: 'N',
      stack: [{ proc: 'p', pc: 'start', locals: { a: 1 }, into: null }],
      blockedOn: null,
    });
  });

  it('labels a done thread (done) and splits invariants by when', () => {
    const inst = new Instance(lostUpdate, { threads: 1, increments: 1 });
    const state: SystemState<unknown> = inst.init();
    expect(inst.label(state.threads[0]!)).toBe('increment.load');
    expect(inst.label({ id: asThreadId(0), name: 'x', stack: [], blockedOn: null })).toBe('(done)');
    expect(inst.stepInvariants).toEqual([]);
    expect(inst.quiescentInvariants.map((i) => i.name)).toEqual(['noLostUpdate']);
    expect(inst.invariants.map((i) => i.name)).toEqual(['noLostUpdate']);
  });
});
