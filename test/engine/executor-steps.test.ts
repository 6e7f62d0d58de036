/**
 * The step primitive (src/engine/instance.ts) and the executor on it, on small inline models:
 * call/ret, block/wake (Mesa semantics), spawn, and the Instance helpers (newThread, labels,
 * invariants split by when).
 */
import { describe, expect, it } from 'vitest';
import { execute } from '../../src/engine/executor.js';
import { Instance, newThread } from '../../src/engine/instance.js';
import { tapeScheduler } from '../../src/engine/schedulers/tape.js';
import type { Procedure, SystemState, ThreadId } from '../../src/engine/types.js';
import { asThreadId, block, call, ret } from '../../src/engine/types.js';
import { lostUpdate } from '../../src/models/examples/lostUpdate.js';
import { instance, opts, serial } from './support/toyModels.js';

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
