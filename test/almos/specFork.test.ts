/**
 * The abstract memory's fork (spec/memory.ts): the child sees the parent's memory at ONE instant of the
 * fork — at its start or after one of the parent's stores before it returns — never a word-wise mix of
 * two instants; a store by the parent adds an instant to every child whose fork is still open, never to
 * a child whose fork returned, never for FILE words; two threads of one process may fork at the same
 * time (`forking` is a list). Then the ALMOS model: on `fork-snapshot` the documented fork lets the
 * child read one page from before the parent's first store and the other from after its second
 * (refinement catches it, F5) and the corrected fork does not; on `fork-concurrent` both windows are
 * open at once in some state and every interleaving refines the spec.
 */
import { describe, expect, it } from 'vitest';
import {
  type AbstractMemory,
  expect as expectLoad,
  fork,
  forkDone,
  newProcess,
  observe,
  type Region,
  store,
} from '../../spec/memory.js';
import { replayDecisions } from '../../src/engine/campaign.js';
import { Instance } from '../../src/engine/instance.js';
import { defaultSearchOptions, search } from '../../src/engine/search/index.js';
import type { Invariant } from '../../src/engine/types.js';
import { almos, almosModel } from '../../src/models/almos/model.js';
import type { AlmosShared } from '../../src/models/almos/state.js';
import { g1Corrected, g1Documented, g2Corrected, g2Documented } from '../../src/models/almosManifest.js';
import { restrictInvariants } from '../../src/models/manifest.js';

const region = (base: number, extra: Partial<Region> = {}): Region => ({
  base,
  size: 1,
  writable: true,
  file: -1,
  stackOf: -1,
  state: 'mapped',
  ...extra,
});

/** P0 with DATA vpn 0 (holding 10), a FILE page at vpn 1 and the stacks of threads 7 (vpn 2) and 8 (vpn 3). */
function memory(): AbstractMemory {
  const regions = [region(0), region(1, { file: 0 }), region(2, { stackOf: 7 }), region(3, { stackOf: 8 })];
  return { procs: [newProcess(regions, { '0:0': 10 })], files: [[[[0]]]] };
}
const allowed = (m: AbstractMemory, pid: number, vpn: number) => {
  const e = expectLoad(m, pid, vpn, 0, false);
  return e.kind === 'fault' ? null : e.allowed;
};

describe('spec/memory.ts: fork windows', () => {
  it('one fork: the parent’s stores widen the child until forkDone, then no longer', () => {
    const m = memory();
    fork(m, 0, 1, 7);
    expect(m.procs[0]?.forking).toEqual([1]);
    store(m, 0, 0, 0, 5);
    expect([allowed(m, 0, 0), allowed(m, 1, 0)]).toEqual([[5], [5, 10]]);
    forkDone(m, 0, 1);
    expect(m.procs[0]?.forking).toEqual([]);
    store(m, 0, 0, 0, 6);
    expect([allowed(m, 0, 0), allowed(m, 1, 0)]).toEqual([[6], [5, 10]]);
  });

  it('two concurrent forks: each window is widened until its own forkDone', () => {
    const m = memory();
    fork(m, 0, 1, 7);
    fork(m, 0, 2, 8);
    expect(m.procs[0]?.forking).toEqual([1, 2]);
    // Each child inherits only its forking thread's stack.
    expect(m.procs[1]?.regions.map((r) => r.base)).toEqual([0, 1, 2]);
    expect(m.procs[2]?.regions.map((r) => r.base)).toEqual([0, 1, 3]);
    store(m, 0, 0, 0, 5);
    expect([allowed(m, 1, 0), allowed(m, 2, 0)]).toEqual([
      [5, 10],
      [5, 10],
    ]);
    // The first fork returns: the second stays open.
    forkDone(m, 0, 1);
    expect(m.procs[0]?.forking).toEqual([2]);
    store(m, 0, 0, 0, 6);
    expect([allowed(m, 1, 0), allowed(m, 2, 0)]).toEqual([
      [5, 10],
      [5, 6, 10],
    ]);
    forkDone(m, 0, 2);
    store(m, 0, 0, 0, 7);
    expect([allowed(m, 0, 0), allowed(m, 1, 0), allowed(m, 2, 0)]).toEqual([[7], [5, 10], [5, 6, 10]]);
  });

  it('forks close in any order; a FILE store widens no child (it is shared through the file)', () => {
    const m = memory();
    fork(m, 0, 1, 7);
    fork(m, 0, 2, 8);
    forkDone(m, 0, 2);
    expect(m.procs[0]?.forking).toEqual([1]);
    store(m, 0, 1, 0, 9);
    expect([allowed(m, 0, 1), allowed(m, 1, 1), allowed(m, 2, 1)]).toEqual([[9], [9], [9]]);
    store(m, 0, 0, 0, 5);
    expect([allowed(m, 1, 0), allowed(m, 2, 0)]).toEqual([[5, 10], [10]]);
  });
});

describe('spec/memory.ts: the child sees the parent at one instant of the fork', () => {
  /** P0 with DATA vpns 0 (A = 10) and 1 (B = 20); fork; the parent stores A = 1, then B = 2; fork returns. */
  function twoStores(): AbstractMemory {
    const m: AbstractMemory = {
      procs: [newProcess([region(0), region(1)], { '0:0': 10, '1:0': 20 })],
      files: [],
    };
    fork(m, 0, 1, 7);
    store(m, 0, 0, 0, 1);
    store(m, 0, 1, 0, 2);
    forkDone(m, 0, 1);
    return m;
  }
  /** The child loads (vpn, value) in order: the first value no candidate allows, or null. */
  const loads = (m: AbstractMemory, seq: Array<[number, number]>) => {
    for (const [vpn, value] of seq) {
      if (!(allowed(m, 1, vpn) ?? []).includes(value)) return { vpn, value, allowed: allowed(m, 1, vpn) };
      observe(m, 1, vpn, 0, value);
    }
    return null;
  };

  it('the candidates are the fork start and each store of the window', () => {
    const m = twoStores();
    expect(m.procs[1]?.snapshots).toEqual([
      { '0:0': 1, '1:0': 2 },
      { '0:0': 1, '1:0': 20 },
      { '0:0': 10, '1:0': 20 },
    ]);
    // Word by word, each value is possible: the old per-word widening allowed any combination.
    expect([allowed(m, 1, 0), allowed(m, 1, 1)]).toEqual([
      [1, 10],
      [2, 20],
    ]);
  });

  it('word-wise mixing of two instants is caught: A from before the first store, B after the second', () => {
    expect(
      loads(twoStores(), [
        [0, 10],
        [1, 2],
      ]),
    ).toEqual({ vpn: 1, value: 2, allowed: [20] });
    // The other order: B = 2 fixes the last instant, so A must be 1.
    expect(
      loads(twoStores(), [
        [1, 2],
        [0, 10],
      ]),
    ).toEqual({ vpn: 0, value: 10, allowed: [1] });
  });

  it('consistent observations pass, whichever instant they fix', () => {
    for (const seq of [
      [
        [0, 10],
        [1, 20],
      ],
      [
        [0, 1],
        [1, 20],
      ],
      [
        [0, 1],
        [1, 2],
      ],
      [
        [1, 20],
        [0, 1],
      ],
    ] as Array<Array<[number, number]>>) {
      expect(loads(twoStores(), seq)).toBeNull();
    }
  });

  it('the child’s own stores write every candidate; the parent’s stores after forkDone add none', () => {
    const m = twoStores();
    store(m, 1, 1, 0, 7);
    store(m, 0, 0, 0, 3);
    expect(m.procs[1]?.snapshots).toEqual([
      { '0:0': 1, '1:0': 7 },
      { '0:0': 10, '1:0': 7 },
    ]);
    expect(m.procs[0]?.snapshots).toEqual([{ '0:0': 3, '1:0': 2 }]);
    // A store of 0 leaves the word absent (the canonical form): equal memories are equal data.
    store(m, 1, 0, 0, 0);
    expect(m.procs[1]?.snapshots).toEqual([{ '1:0': 7 }]);
  });
});

describe('ALMOS fork-concurrent: two threads of one process fork at once', () => {
  /** Reported in every state where both fork windows of P0 are open: proves the scenario reaches one. */
  const bothOpen: Invariant<AlmosShared> = {
    name: 'bothForksOpen',
    when: 'step',
    check: (st) => ((st.shared.ghost.spec.procs[0]?.forking.length ?? 0) >= 2 ? 'two forks open' : null),
  };

  it('reaches a state with both fork windows open', () => {
    const model = almos({ invariants: [bothOpen] });
    const inst = new Instance(model, { ...model.defaultConfig, scenario: 'fork-concurrent' });
    const r = search(inst, { ...defaultSearchOptions, strategy: 'bfs' });
    expect(r.violation?.name).toBe('bothForksOpen');
  });

  const configs = { G1: [g1Documented, g1Corrected], G2: [g2Documented, g2Corrected] } as const;
  for (const generation of ['G1', 'G2'] as const) {
    it(`${generation}: the documented fork refines the spec; the corrected one passes every invariant`, () => {
      const [documented, corrected] = configs[generation];
      const refinementOnly = restrictInvariants(almosModel, ['refinement']);
      for (const [model, config] of [
        [refinementOnly, documented],
        [almosModel, corrected],
      ] as const) {
        const inst = new Instance(model, {
          ...almosModel.defaultConfig,
          ...config,
          scenario: 'fork-concurrent',
        });
        const r = search(inst, { ...defaultSearchOptions, strategy: 'bfs' });
        expect(r.violation).toBeNull();
        expect(r.verdict).toBe('pass');
        expect(r.states).toBeGreaterThan(5000);
      }
    });
  }
});

describe('ALMOS fork-snapshot: refinement catches a child that sees two instants of its parent (F5)', () => {
  const refinementOnly = restrictInvariants(almosModel, ['refinement']);
  const run = (config: object) => {
    const inst = new Instance(refinementOnly, {
      ...almosModel.defaultConfig,
      ...config,
      scenario: 'fork-snapshot',
    });
    const r = search(inst, { ...defaultSearchOptions, strategy: 'bfs' });
    const trace = r.decisions ? (replayDecisions(inst, r.decisions).trace ?? []) : [];
    return { r, labels: trace.map((t) => `${t.thread} ${t.label}`) };
  };

  for (const [generation, documented] of [
    ['G1', g1Documented],
    ['G2', g2Documented],
  ] as const) {
    it(`${generation} documented: the child reads vpn 0 as before the parent's stores, vpn 1 as after`, () => {
      const { r, labels } = run(documented);
      expect(r.violation?.name).toBe('refinement');
      expect(r.violation?.message).toBe('P1 load from va 1 returned 2, the abstract memory allows [20]');
      // Both stores of the parent happen inside the fork window (between allocChild and startChild).
      const stores = labels.flatMap((l, i) => (l === 'P0.T1@c0 mmuAccess.translate' ? [i] : []));
      expect(labels.indexOf('P0.T0@c1 processMakeFork.allocChild')).toBeLessThan(stores[0] as number);
      expect(stores.at(-1)).toBeLessThan(labels.indexOf('P0.T0@c1 processMakeFork.startChild'));
    });
  }

  it('G1 and G2 corrected: every interleaving refines the spec', () => {
    for (const config of [g1Corrected, g2Corrected]) {
      const { r } = run(config);
      expect([r.verdict, r.violation]).toEqual(['pass', null]);
    }
  });
});
