/**
 * The manifest-row runner (manifestRun.ts) on rows made up for the purpose, on the example models (a
 * few ms each): a search cut by its budget is 'incomplete', never a pass, and meets only a `bounded`
 * row; a row without search rests on its random runs and says so; a violation needs its recorded
 * shortest counterexample and the random runs' agreement; subset rows and rejected rows.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/engine/config.js';
import { Instance } from '../../src/engine/instance.js';
import { defaultSearchOptions, search } from '../../src/engine/search/index.js';
import { findModel } from '../../src/models/index.js';
import type { ManifestRow } from '../../src/models/manifestRow.js';
import { expectationLabel, subsetLabel } from '../../src/models/manifestRow.js';
import { runRow } from '../../src/models/manifestRun.js';

/** mutex-counter 3x1 with work 2: a pass, by a complete BFS of a few hundred states. */
const mutex: ManifestRow = {
  name: 'mutex',
  model: 'mutex-counter',
  config: { threads: 3, increments: 1, work: 2 },
  expected: 'pass',
  runs: 0,
  small: true,
  note: '',
};
const lost: ManifestRow = {
  name: 'lost',
  model: 'lost-update',
  config: { threads: 2, increments: 1 },
  expected: 'violation:noLostUpdate',
  runs: 0,
  small: true,
  note: '',
  shortest: 4,
};

describe('passes', () => {
  it('a complete search: pass, complete', () => {
    const o = runRow(mutex);
    expect(o).toMatchObject({ expected: 'pass', got: 'pass', ok: true, verdict: 'complete', search: 'pass' });
    const m = findModel('mutex-counter');
    const direct = search(new Instance(m, resolveConfig(m, mutex.config)), defaultSearchOptions);
    expect([o.states, direct.verdict]).toEqual([direct.states, 'pass']);
    expect(o.incompleteReason).toBeNull();
  });

  it('a search cut by its budget: incomplete, and the row fails', () => {
    const o = runRow({ ...mutex, maxStates: 50 });
    expect(o).toMatchObject({
      expected: 'pass',
      got: 'incomplete (state budget 50 reached)',
      ok: false,
      verdict: 'incomplete',
      search: 'incomplete',
      incompleteReason: 'state budget 50 reached',
    });
  });

  it('the same cut search meets a row that says it is bounded, and its label says so', () => {
    const row = { ...mutex, maxStates: 50, bounded: 'every interleaving of the first lock is in' };
    expect(expectationLabel(row)).toBe('pass (bounded: 50 states)');
    const o = runRow(row);
    expect(o).toMatchObject({ expected: 'pass (bounded: 50 states)', ok: true, verdict: 'incomplete' });
    expect(o.got).toBe('incomplete (state budget 50 reached)');
  });

  it('a bounded row whose search ends is met too (and the manifest test flags the stale label)', () => {
    expect(runRow({ ...mutex, bounded: 'stale' })).toMatchObject({ ok: true, got: 'pass' });
  });

  it('no search: random runs only, labelled, incomplete', () => {
    const o = runRow({ ...mutex, runs: 30, maxStates: 0 });
    expect(o).toMatchObject({
      expected: 'pass (random: 30 runs)',
      got: 'pass (random: 30 runs)',
      ok: true,
      verdict: 'incomplete',
      incompleteReason: 'no exhaustive search (random runs only)',
      campaign: 'pass',
      search: null,
      runs: 30,
      states: null,
    });
    expect(runRow({ ...mutex, maxStates: 0 }).ok).toBe(false); // nothing ran at all
  });
});

describe('violations', () => {
  it('found by BFS in the recorded number of steps', () => {
    const o = runRow(lost);
    expect(o).toMatchObject({
      expected: 'violation:noLostUpdate in 4 steps',
      got: 'violation:noLostUpdate in 4 steps',
      ok: true,
      verdict: 'complete',
      shortest: 4,
    });
  });

  it('a different shortest counterexample fails the row', () => {
    const o = runRow({ ...lost, shortest: 5 });
    expect([o.expected, o.got, o.ok]).toEqual([
      'violation:noLostUpdate in 5 steps',
      'violation:noLostUpdate in 4 steps',
      false,
    ]);
  });

  it('random runs that miss it fail the row, and the line says so', () => {
    // peterson-broken needs two preemptions: round robin never finds it (shortest: 8 steps).
    const row: ManifestRow = {
      ...lost,
      model: 'peterson-broken',
      config: { rounds: 1 },
      expected: 'violation:mutualExclusion',
      runs: 20,
      scheduler: 'rr',
      shortest: 8,
    };
    const o = runRow(row);
    expect([o.got, o.ok, o.campaign]).toEqual([
      'violation:mutualExclusion in 8 steps (random runs: pass)',
      false,
      'pass',
    ]);
    expect(runRow({ ...row, scheduler: 'random', runs: 1000 }).ok).toBe(true);
  });

  it('an incomplete search defers to random runs that find it, when no length is recorded', () => {
    const row: ManifestRow = { ...lost, config: { threads: 4, increments: 2 }, runs: 200, maxStates: 3 };
    const o = runRow({ ...row, shortest: undefined });
    expect([o.got, o.ok, o.verdict]).toEqual([
      'incomplete (state budget 3 reached) (random runs: violation:noLostUpdate)',
      true,
      'complete',
    ]);
    expect(runRow(row).ok).toBe(false); // the recorded length needs the search to find it
  });
});

describe('subsets and rejected rows', () => {
  it('a subset row carries its label: what it checks, what all invariants give', () => {
    const row = { ...lost, invariants: ['noLostUpdate'], allInvariants: lost.expected };
    expect(subsetLabel(row)).toBe('[only noLostUpdate; all invariants: violation:noLostUpdate]');
    expect(runRow(row)).toMatchObject({ ok: true, invariants: ['noLostUpdate'], subset: subsetLabel(row) });
    expect(runRow(lost)).toMatchObject({ invariants: null, subset: null });
  });

  it('an unknown invariant, an unknown model or a bad setting: error, not ok', () => {
    for (const row of [
      { ...lost, invariants: ['nope'] },
      { ...lost, model: 'nope' },
      { ...lost, config: { threads: 99 } },
    ]) {
      const o = runRow(row);
      expect([o.ok, o.verdict, o.search]).toEqual([false, 'incomplete', null]);
      expect(o.got).toMatch(/^error: /);
    }
  });
});

describe('the footprint audit and the clock', () => {
  it('change nothing but the audited flag and the time', () => {
    for (const row of [mutex, lost, { ...lost, runs: 50 }]) {
      let t = 0;
      const plain = runRow(row);
      const audited = runRow(row, { auditFootprints: true, now: () => (t += 5) });
      expect({ ...audited, audited: false, ms: 0 }).toEqual(plain);
      expect([audited.audited, audited.ms]).toEqual([true, 5]);
    }
  });
});
