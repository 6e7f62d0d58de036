/**
 * The footprint audit of search (SearchOptions.auditFootprints, search/audit.ts): a mutant step that
 * under-declares its writes goes unnoticed by every search and cross-check without it and is caught
 * with it, naming the step and the path, whether it writes a copied object, one shared with the
 * parent state (frozen), another thread or a new one; on correct models the audit changes nothing.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { runCampaign } from '../../src/engine/campaign.js';
import { HarnessError } from '../../src/engine/errors.js';
import { Instance, newThread } from '../../src/engine/instance.js';
import { randomScheduler } from '../../src/engine/schedulers/random.js';
import { changedPaths, deepFreeze } from '../../src/engine/search/audit.js';
import { defaultSearchOptions, type SearchOptions, search } from '../../src/engine/search/index.js';
import type { Access, AnyModel, Config, Model, Procedure, Step, StepCtx } from '../../src/engine/types.js';
import { asThreadId, block, ret } from '../../src/engine/types.js';
import { diffValues } from '../../src/engine/value.js';
import { almos } from '../../src/models/almos/model.js';
import type { AlmosShared } from '../../src/models/almos/state.js';
import { findModel } from '../../src/models/index.js';

type Shared = { x: number; stores: number; stats: { stores: number }; flag: number[] };
const w = (obj: string): Access => ({ obj, write: true });

/**
 * Two threads each `load` x then `store` x + 1 (lost-update without its invariant); `store` also
 * does `extra`, declaring only `declared`. No invariant: every search explores the whole space.
 * With `waiter`, a third thread (T2) blocks once, for a store to wake it.
 */
function mutant(
  extra: (s: Shared, ctx: StepCtx) => void,
  declared: readonly Access[] = [w('x')],
  waiter = false,
) {
  const increment: Procedure<Shared> = {
    name: 'increment',
    entry: 'load',
    steps: {
      load: {
        footprint: () => [{ obj: 'x', write: false }],
        run(s, f) {
          f.locals.v = s.x;
          return 'store';
        },
      },
      store: {
        footprint: () => declared,
        run(s, f, ctx) {
          s.x = (f.locals.v as number) + 1;
          extra(s, ctx);
          return ret();
        },
      },
    },
  };
  const idle: Procedure<Shared> = {
    name: 'idle',
    entry: 'wait',
    steps: { wait: { footprint: () => [], run: () => block('store', 'end') }, end: { run: () => ret() } },
  };
  const model: Model<Shared, Config> = {
    name: 'mutant',
    summary: 'lost-update with a store that writes more than it declares',
    params: {},
    defaultConfig: {},
    init: () => ({
      shared: { x: 0, stores: 0, stats: { stores: 0 }, flag: [0, 0] },
      threads: [
        newThread(0, 'T0', increment),
        newThread(1, 'T1', increment),
        ...(waiter ? [newThread(2, 'T2', idle)] : []),
      ],
    }),
    procedures: { increment, idle },
    invariants: () => [],
  };
  return new Instance(model, {});
}

const run = (inst: Instance, o: Partial<SearchOptions>) => search(inst, { ...defaultSearchOptions, ...o });
const summary = (r: ReturnType<typeof run>) => [r.verdict, r.states, r.transitions];
const audited =
  (inst: Instance, o: Partial<SearchOptions> = {}) =>
  () =>
    run(inst, { ...o, auditFootprints: true });

describe('a store that also counts in `stores` without declaring it', () => {
  const inst = mutant((s) => {
    s.stores++;
  });

  it('goes unnoticed by BFS, DFS, DFS+POR, copy-on-write vs full copies and random runs', () => {
    // 12 states (test/search/counts.test.ts: `stores` follows from the program counters).
    const bfs = run(inst, { strategy: 'bfs' });
    expect(summary(bfs)).toEqual(['pass', 12, summary(bfs)[2]]);
    expect(summary(run(inst, { strategy: 'bfs', copyOnWrite: false }))).toEqual(summary(bfs));
    expect(summary(run(inst, { strategy: 'dfs' }))).toEqual(summary(bfs));
    expect(summary(run(inst, { strategy: 'dfs', copyOnWrite: false }))).toEqual(summary(bfs));
    expect(run(inst, { strategy: 'dfs', por: true }).verdict).toBe('pass');
    expect(runCampaign(inst, randomScheduler(1), 50).violation).toBeNull();
  });

  it('is caught by the audit, under BFS, DFS, DFS+POR and full copies alike', () => {
    const message = "footprint of increment.store misses its write to 'stores'";
    for (const o of [
      { strategy: 'bfs' },
      { strategy: 'dfs' },
      { strategy: 'dfs', por: true },
      { strategy: 'bfs', copyOnWrite: false },
    ] as const) {
      expect(audited(inst, o), JSON.stringify(o)).toThrow(HarnessError);
      expect(audited(inst, o)).toThrow(message);
    }
  });
});

describe('the audit names every kind of undeclared write', () => {
  it('an object shared with the parent state, written in place (frozen, then re-run to name it)', () => {
    const inst = mutant((s) => {
      s.stats.stores++;
    });
    expect(audited(inst)).toThrow("footprint of increment.store misses its write to 'stats.stores'");
  });

  it('a shared object written in place and restored within the step (no net change)', () => {
    const inst = mutant((s) => {
      s.flag[0] = 1;
      s.flag[0] = 0;
    });
    expect(audited(inst)).toThrow(/^footprint of increment\.store misses a write to an object it shares/);
  });

  it('another thread (a wake without @tN), a new thread (a spawn without @spawn)', () => {
    const wakeT2 = (_s: Shared, ctx: StepCtx) => ctx.wake(asThreadId(2));
    expect(audited(mutant(wakeT2, [w('x')], true))).toThrow(
      'footprint of increment.store misses its write to thread @t2',
    );
    // Declared, it passes the audit; both stores before T2 blocks leave it blocked for ever.
    const declared = run(mutant(wakeT2, [w('x'), w('@t2')], true), { auditFootprints: true });
    expect(declared.violation?.name).toBe('deadlock');
    const spawn = mutant((_s, ctx) => {
      ctx.spawn('child', 'idle', {});
    });
    expect(audited(spawn)).toThrow(/footprint of increment\.store spawns without '@spawn'/);
  });

  it('a declared write passes: the same mutants declaring what they write', () => {
    const all = [w('x'), w('stores'), w('stats'), w('flag')];
    const inst = mutant((s) => {
      s.stores++;
      s.stats.stores++;
      s.flag[0] = 1;
    }, all);
    expect(run(inst, { auditFootprints: true }).verdict).toBe('pass');
  });

  it('an ALMOS mutant: every step of a page fault declares one write fewer', () => {
    type P = Procedure<AlmosShared>;
    const fewer = (step: Step<AlmosShared>): Step<AlmosShared> => {
      const footprint = step.footprint;
      if (footprint === undefined) return step;
      return {
        ...step,
        footprint: (s, f, tid) => {
          const all = footprint(s, f, tid);
          const i = all.findIndex((x) => x.write && !x.obj.startsWith('@'));
          return i < 0 ? all : [...all.slice(0, i), ...all.slice(i + 1)];
        },
      };
    };
    const m = almos();
    const overrides: { [name: string]: P } = {};
    for (const name of ['handlePageFault', 'handlePageFaultG2']) {
      const p = m.procedures[name] as P;
      const steps = Object.fromEntries(Object.entries(p.steps).map(([l, st]) => [l, fewer(st)]));
      overrides[name] = { ...p, steps };
    }
    const mm = almos({ overrides });
    for (const generation of ['G1', 'G2']) {
      const inst = new Instance(mm, { ...mm.defaultConfig, scenario: 'shared-fault', generation });
      expect(audited(inst)).toThrow(/^footprint of handlePageFault(G2)?\.\w+ misses (its|a) write/);
    }
  });
});

describe('on correct models the audit changes nothing', () => {
  const cases: Array<[string, Config]> = [
    ['lost-update', { threads: 3, increments: 1 }],
    ['mutex-counter', { threads: 3, increments: 1, work: 2 }],
    ['peterson', { rounds: 2 }],
    ['lock-inversion', { ordered: false }],
    ['almos', { scenario: 'shared-fault', generation: 'G2' }],
  ];
  it.each(cases)('%s %j: same verdict, states, transitions and counterexample', (name, config) => {
    const m: AnyModel = findModel(name);
    const inst = new Instance(m, { ...m.defaultConfig, ...config });
    for (const o of [{ strategy: 'bfs' }, { strategy: 'dfs' }, { strategy: 'dfs', por: true }] as const) {
      const plain = run(inst, o);
      const audit = run(inst, { ...o, auditFootprints: true });
      expect([...summary(audit), audit.decisions]).toEqual([...summary(plain), plain.decisions]);
    }
  });
});

describe('audit primitives', () => {
  test.prop([fc.jsonValue(), fc.jsonValue()])('changedPaths names the paths diffValues names', (a, b) => {
    const paths = (xs: readonly { path: string }[]) => xs.map((c) => c.path).sort();
    expect(paths(changedPaths(a, b))).toEqual(paths(diffValues(a, b)));
  });

  it('deepFreeze freezes every object below, and stops at frozen ones', () => {
    const shared = { c: [1] };
    const v = { a: { b: [shared] }, shared };
    deepFreeze(v);
    for (const o of [v, v.a, v.a.b, shared, shared.c]) expect(Object.isFrozen(o)).toBe(true);
    expect(() => {
      (v.a.b as unknown[]).push(1);
    }).toThrow(TypeError);
  });
});
