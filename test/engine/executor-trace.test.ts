/**
 * Trace mode of the executor (src/engine/executor.ts): one entry per step with label, thread,
 * footprint, choices and changes (shared paths and thread changes), and no effect on the run itself.
 */
import { describe, expect, it } from 'vitest';
import { execute } from '../../src/engine/executor.js';
import { Instance, newThread } from '../../src/engine/instance.js';
import { randomScheduler } from '../../src/engine/schedulers/random.js';
import { tapeScheduler } from '../../src/engine/schedulers/tape.js';
import type { Procedure } from '../../src/engine/types.js';
import { block, call, ret } from '../../src/engine/types.js';
import { lostUpdate } from '../../src/models/examples/lostUpdate.js';
import { instance, opts, r, serial, w } from './support/toyModels.js';

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
