/**
 * Exhaustive search verdicts: BFS counterexamples have the known minimum length and replay to the
 * same violation; DFS, DFS+POR and BFS agree on every model and configuration (POR never changes a
 * verdict); preemption bounds, state and depth budgets, data choices and assertions.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { replayDecisions } from '../../src/engine/campaign.js';
import { Instance, newThread } from '../../src/engine/instance.js';
import { defaultSearchOptions, search } from '../../src/engine/search/index.js';
import type { SearchOptions } from '../../src/engine/search/types.js';
import type { AnyModel, Config, Model, Procedure } from '../../src/engine/types.js';
import { ret } from '../../src/engine/types.js';
import { findModel, models } from '../../src/models/index.js';

const inst = (name: string, config: Config = {}) => {
  const m = findModel(name);
  return new Instance(m, { ...m.defaultConfig, ...config });
};
const run = (i: Instance, o: Partial<SearchOptions>) => search(i, { ...defaultSearchOptions, ...o });

describe('BFS shortest counterexamples', () => {
  // lost-update: both loads, then both stores (4 steps; with 3 threads every thread must finish: 6).
  // peterson-broken: each thread needs setTurn, setFlag, await, enterCs: 8.
  // lock-inversion: T0 takes a, T1 takes b: 2.
  it.each([
    ['lost-update', { threads: 2 }, 'noLostUpdate', 4],
    ['lost-update', { threads: 3 }, 'noLostUpdate', 6],
    ['peterson-broken', {}, 'mutualExclusion', 8],
    ['lock-inversion', {}, 'deadlock', 2],
  ] as const)('%s %j: %s in %i steps, and the replay reproduces it', (name, config, violation, length) => {
    const i = inst(name, config);
    const r = run(i, { strategy: 'bfs' });
    expect(r.violation?.name).toBe(violation);
    const decisions = r.decisions as number[];
    expect(decisions.filter((d) => d % 2 === 0)).toHaveLength(length);
    const replayed = replayDecisions(i, decisions);
    expect(replayed.violation?.name).toBe(violation);
    expect(replayed.steps).toBe(length);
    const dfs = run(i, { strategy: 'dfs' });
    expect(replayDecisions(i, dfs.decisions as number[]).violation?.name).toBe(violation);
  });
});

const verdict = (r: ReturnType<typeof run>) => (r.violation ? `violation:${r.violation.name}` : r.verdict);

function arbitraryConfig(m: AnyModel): fc.Arbitrary<Config> {
  const entries: Array<[string, fc.Arbitrary<number | boolean | string>]> = [];
  for (const [k, p] of Object.entries(m.params)) {
    if (p.type === 'int') entries.push([k, fc.integer({ min: p.min, max: Math.min(p.max, p.min + 2) })]);
    else if (p.type === 'bool') entries.push([k, fc.boolean()]);
    else if (p.type === 'enum') entries.push([k, fc.constantFrom(...p.values)]);
  }
  return fc.record(Object.fromEntries(entries)) as fc.Arbitrary<Config>;
}

describe('POR never changes a verdict', () => {
  // The example models (the almos model's spaces are too large for this sweep; it has its own tests).
  for (const m of models.filter((x) => x.name !== 'almos')) {
    test.prop([arbitraryConfig(m)], { numRuns: 15, seed: 7 })(
      `${m.name}: BFS, DFS and DFS+POR agree`,
      (config) => {
        const i = new Instance(m, { ...m.defaultConfig, ...config });
        const bfs = run(i, { strategy: 'bfs', maxStates: 200_000 });
        const dfs = run(i, { strategy: 'dfs', maxStates: 200_000 });
        const por = run(i, { strategy: 'dfs', por: true, maxStates: 200_000 });
        expect(verdict(dfs)).toBe(verdict(bfs));
        expect(verdict(por)).toBe(verdict(bfs));
        if (bfs.verdict === 'pass') expect(por.states).toBeLessThanOrEqual(dfs.states);
      },
    );
  }
});

describe('bounds and budgets', () => {
  it('peterson-broken needs two preemptions', () => {
    const i = inst('peterson-broken');
    expect(run(i, { strategy: 'dfs', preemptionBound: 0 }).verdict).toBe('pass');
    expect(run(i, { strategy: 'dfs', preemptionBound: 1 }).verdict).toBe('pass');
    expect(run(i, { strategy: 'dfs', preemptionBound: 2 }).violation?.name).toBe('mutualExclusion');
    expect(run(i, { strategy: 'bfs', preemptionBound: 1 }).verdict).toBe('pass');
    expect(run(i, { strategy: 'bfs', preemptionBound: 2 }).violation?.name).toBe('mutualExclusion');
  });

  it('a state budget or a depth bound makes the verdict incomplete', () => {
    const i = inst('mutex-counter', { threads: 3, work: 2 });
    const s = run(i, { strategy: 'bfs', maxStates: 50 });
    expect(s.verdict).toBe('incomplete');
    expect(s.incompleteReason).toMatch(/state budget 50/);
    const d = run(i, { strategy: 'dfs', maxDepth: 5 });
    expect(d.verdict).toBe('incomplete');
    expect(d.maxDepth).toBe(5);
    expect(run(i, { strategy: 'bfs', maxDepth: 5 }).incompleteReason).toMatch(/depth bound 5/);
  });

  it('POR is refused with BFS and with a preemption bound', () => {
    const i = inst('lost-update');
    expect(() => run(i, { strategy: 'bfs', por: true })).toThrow(/DFS only/);
    expect(() => run(i, { strategy: 'dfs', por: true, preemptionBound: 1 })).toThrow(/cannot be combined/);
  });

  it('reports bytes per state and a collision estimate', () => {
    const r = run(inst('mutex-counter', { threads: 4, increments: 2, work: 1 }), { strategy: 'bfs' });
    expect(r.states).toBeGreaterThan(1000);
    expect(r.bytesPerState).toBeLessThanOrEqual(64);
    expect(r.collisionProbability).toBeGreaterThan(0);
    expect(r.collisionProbability).toBeLessThan(1e-9);
  });
});

// A thread picks a value in 0..2 (a data choice); picking 2 fails an assertion.
type PickShared = { picked: number[] };
const pick: Procedure<PickShared> = {
  name: 'pick',
  entry: 'choose',
  steps: {
    choose: {
      footprint: () => [{ obj: 'picked', write: true }],
      run(s, _f, ctx) {
        const v = ctx.choose(3, 'value');
        if (v === 2 && s.picked.length === 1) ctx.fail('pick: second thread chose 2');
        s.picked.push(v);
        return ret();
      },
    },
  },
};
const picker: Model<PickShared, Config> = {
  name: 'picker',
  summary: 'test model with data choices',
  params: {},
  defaultConfig: {},
  init: () => ({ shared: { picked: [] }, threads: [newThread(0, 'A', pick), newThread(1, 'B', pick)] }),
  procedures: { pick },
  invariants: () => [],
};

describe('data choices', () => {
  it('are enumerated by search, and assertion failures are found with their choice', () => {
    const i = new Instance(picker, {});
    const r = run(i, { strategy: 'bfs' });
    expect(r.violation).toMatchObject({ kind: 'assertion', message: 'pick: second thread chose 2' });
    // The counterexample: one thread picks, the other picks 2 (decision 2*2+1 = 5).
    expect((r.decisions as number[]).slice(-1)).toEqual([5]);
    expect(replayDecisions(i, r.decisions as number[]).violation?.kind).toBe('assertion');
  });

  it('without the failing value every combination is a distinct state', () => {
    const safe: Model<PickShared, Config> = {
      ...picker,
      procedures: {
        pick: {
          ...pick,
          steps: {
            choose: {
              ...pick.steps.choose,
              run: (s, _f, ctx) => {
                s.picked.push(ctx.choose(3, 'v'));
                return ret();
              },
            },
          },
        } as Procedure<PickShared>,
      },
    };
    // Counted by hand (not golden): init; 2 threads x 3 values after one step; 9 ordered pairs after
    // both. POR keeps them all: both steps write `picked`, so neither order can be pruned.
    expect(run(new Instance(safe, {}), { strategy: 'bfs' }).states).toBe(1 + 6 + 9);
    expect(run(new Instance(safe, {}), { strategy: 'dfs', por: true }).states).toBe(16);
  });
});
