/**
 * The abstract memory's fork windows (spec/memory.ts): a store by the parent widens the words of every
 * child whose fork is still open, never those of a child whose fork returned, never FILE words; two
 * threads of one process may fork at the same time (`forking` is a list). Then the ALMOS model on the
 * built-in `fork-concurrent` scenario: both windows are open at once in some state, and every
 * interleaving refines the spec (a single-child `forking` reported a false noWritableSharing there).
 */
import { describe, expect, it } from 'vitest';
import {
  type AbstractMemory,
  expect as expectLoad,
  fork,
  forkDone,
  newProcess,
  type Region,
  store,
} from '../../spec/memory.js';
import { Instance } from '../../src/engine/instance.js';
import { defaultSearchOptions, search } from '../../src/engine/search/index.js';
import type { Invariant } from '../../src/engine/types.js';
import { almos, almosModel } from '../../src/models/almos/model.js';
import type { AlmosShared } from '../../src/models/almos/state.js';

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
  return { procs: [newProcess(regions, { '0:0': [10] })], files: [[[[0]]]] };
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

  for (const generation of ['G1', 'G2'] as const) {
    it(`${generation}, documented knobs: every interleaving passes (refinement included)`, () => {
      const config = { ...almosModel.defaultConfig, scenario: 'fork-concurrent', generation };
      const r = search(new Instance(almosModel, config), { ...defaultSearchOptions, strategy: 'bfs' });
      expect(r.violation).toBeNull();
      expect(r.verdict).toBe('pass');
      expect(r.states).toBeGreaterThan(5000);
    });
  }
});
