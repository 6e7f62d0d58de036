/**
 * Corrected fork variants (knobs `forkProtectsParentFirst` with `forkHoldsGptLock` G1 or
 * `forkLocksRefPtes` G2, with `faultHoldsRefLock`, G2 `updateRefLast`, and in G1 `cowProtocol =
 * decrementAfterUpdate` for handleCow's own busylock finding): exhaustive BFS on the built-in fork
 * scenarios — the documented step order violates noWritableSharing in the fork window (F4), the
 * documented races behind it (F1-F3) remain once only the window is closed, the corrected knobs pass,
 * and dropping any one of them brings a violation back — then random and PCT campaigns, and traced
 * runs validating the footprints of the corrected steps.
 */
import { describe, expect, it } from 'vitest';
import { replayDecisions, runCampaign } from '../../src/engine/campaign.js';
import { execute } from '../../src/engine/executor.js';
import { Instance } from '../../src/engine/instance.js';
import { pctScheduler } from '../../src/engine/schedulers/pct.js';
import { randomScheduler } from '../../src/engine/schedulers/random.js';
import { defaultSearchOptions, search } from '../../src/engine/search/index.js';
import type { Knobs } from '../../src/models/almos/knobs.js';
import { almosModel } from '../../src/models/almos/model.js';
import type { AlmosShared } from '../../src/models/almos/state.js';

type S = AlmosShared;

const G1_FIXED: Partial<Knobs> = {
  generation: 'G1',
  forkHoldsGptLock: true,
  forkProtectsParentFirst: true,
  faultHoldsRefLock: true,
  cowProtocol: 'decrementAfterUpdate',
};
const G2_FIXED: Partial<Knobs> = {
  generation: 'G2',
  forkLocksRefPtes: true,
  forkProtectsParentFirst: true,
  updateRefLast: true,
  faultHoldsRefLock: true,
};
/** Only the fork window closed (F4): the documented designs plus the fork's own correction. */
const WINDOW_CLOSED: { [g: string]: Partial<Knobs> } = {
  G1: { generation: 'G1', forkHoldsGptLock: true, forkProtectsParentFirst: true },
  G2: { generation: 'G2', forkLocksRefPtes: true, forkProtectsParentFirst: true },
};
const FORK_SCENARIOS = [
  'fork',
  'fork-sibling-fault',
  'fork-true-fault',
  'fork-sibling-cow',
  'fork-remote-sibling-cow',
  'fork-concurrent',
  'fork-snapshot',
] as const;

const instance = (scenario: string, knobs: Partial<Knobs>) =>
  new Instance<S>(almosModel, { ...almosModel.defaultConfig, scenario, ...knobs });

/** BFS and the labels of its counterexample; each search runs once per file (several tests read it). */
const searched = new Map<string, ReturnType<typeof bfsOnce>>();
function bfs(scenario: string, knobs: Partial<Knobs>) {
  const key = JSON.stringify([scenario, knobs]);
  const r = searched.get(key) ?? bfsOnce(scenario, knobs);
  searched.set(key, r);
  return r;
}
function bfsOnce(scenario: string, knobs: Partial<Knobs>) {
  const inst = instance(scenario, knobs);
  const r = search(inst, { ...defaultSearchOptions, strategy: 'bfs' });
  const trace = r.decisions ? (replayDecisions(inst, r.decisions).trace ?? []) : [];
  return { ...r, labels: trace.map((t) => `${t.thread} ${t.label}`) };
}

describe('documented fork: the findings', () => {
  // F4: forkCopyRange gives the child a COW entry of a page the parent still maps writable (setCow
  // has not run yet), in every fork scenario, at the first page copied.
  for (const generation of ['G1', 'G2'] as const) {
    for (const scenario of FORK_SCENARIOS) {
      it(`${generation} ${scenario}: noWritableSharing in the fork window (F4)`, () => {
        const r = bfs(scenario, { generation });
        expect(r.violation?.name).toBe('noWritableSharing');
        expect(r.violation?.message).toMatch(/but P0 c[01] vpn \d -> ppn \d \(MSRWCU\) is not COW/);
        expect(r.labels.at(-1)).toMatch(/ forkCopyRange\.writePte$/);
      });
    }
  }

  // F1-F3 behind the window: the sibling's fault installs the writable pre-fork reference PTE after
  // the fork protected the reference and skipped the sibling's still unmapped copy.
  const behind: Array<[string, 'G1' | 'G2', string]> = [
    ['fork-sibling-fault', 'G1', 'handlePageFault.falseCopy'],
    ['fork-sibling-cow', 'G1', 'handlePageFault.falseCopy'],
    ['fork-sibling-fault', 'G2', 'handlePageFaultG2.setLocalFromRef'],
    ['fork-true-fault', 'G2', 'handlePageFaultG2.setLocalFromRef'],
  ];
  for (const [scenario, generation, last] of behind) {
    it(`${generation} ${scenario}, fork window closed: noWritableSharing at ${last}`, () => {
      const r = bfs(scenario, WINDOW_CLOSED[generation] as Partial<Knobs>);
      expect(r.violation?.name).toBe('noWritableSharing');
      expect(r.labels.at(-1)).toBe(`P0.T1@c1 ${last}`);
    });
  }
});

describe('G1 corrected: forkProtectsParentFirst + forkHoldsGptLock + faultHoldsRefLock (+ cowProtocol)', () => {
  // Change detectors (golden lower bounds, 90% of the counts when written), paired with the verdict.
  const floors: { [scenario: string]: number } = {
    fork: 320,
    'fork-sibling-fault': 2400,
    'fork-true-fault': 9600,
    'fork-sibling-cow': 6200,
    'fork-remote-sibling-cow': 6200,
    'fork-concurrent': 5200,
    'fork-snapshot': 4100,
  };
  for (const scenario of FORK_SCENARIOS) {
    it(`${scenario}: every interleaving passes`, () => {
      const r = bfs(scenario, G1_FIXED);
      expect(r.violation).toBeNull();
      expect(r.verdict).toBe('pass');
      expect(r.states).toBeGreaterThan(floors[scenario] as number);
    });
  }

  it('each knob is needed', () => {
    const without = (k: keyof Knobs, scenario: string) =>
      bfs(scenario, { ...G1_FIXED, [k]: false }).violation;
    expect(without('forkProtectsParentFirst', 'fork')?.name).toBe('noWritableSharing');
    expect(without('forkHoldsGptLock', 'fork-true-fault')?.name).toBe('noWritableSharing');
    expect(without('faultHoldsRefLock', 'fork-sibling-fault')?.name).toBe('noWritableSharing');
    // handleCow's documented busylock across the allocation RPC (a finding of its own).
    const documentedCow = bfs('fork-sibling-fault', { ...G1_FIXED, cowProtocol: 'documented' }).violation;
    expect(documentedCow?.name).toBe('lockDiscipline');
    expect(documentedCow?.message).toContain('while holding busylock');
  });
});

describe('G2 corrected: forkProtectsParentFirst + forkLocksRefPtes + updateRefLast + faultHoldsRefLock', () => {
  // Change detectors (golden lower bounds, 90% of the counts when written), paired with the verdict.
  const floors: { [scenario: string]: number } = {
    fork: 290,
    'fork-sibling-fault': 2300,
    'fork-true-fault': 6100,
    'fork-sibling-cow': 6000,
    'fork-remote-sibling-cow': 6000,
    'fork-concurrent': 6100,
    'fork-snapshot': 4900,
  };
  for (const scenario of FORK_SCENARIOS) {
    it(`${scenario}: every interleaving passes`, () => {
      const r = bfs(scenario, G2_FIXED);
      expect(r.violation).toBeNull();
      expect(r.verdict).toBe('pass');
      expect(r.states).toBeGreaterThan(floors[scenario] as number);
    });
  }

  it('each knob is needed', () => {
    const without = (k: keyof Knobs, scenario: string) => bfs(scenario, { ...G2_FIXED, [k]: false });
    expect(without('forkProtectsParentFirst', 'fork').violation?.name).toBe('noWritableSharing');
    // No PTE lock held across the fork: a sibling's COW between the fork's protection of the entry and
    // its forks increment reads forks == 0 and makes the page writable in place.
    expect(without('forkLocksRefPtes', 'fork-sibling-cow').violation?.name).toBe('noWritableSharing');
    // handleCowG2 releases the reference PTE lock at its first store (the reference comes first in
    // the copies list); the fork then protects the copy before globalUpdatePte stores into it.
    const early = without('updateRefLast', 'fork-sibling-cow');
    expect(early.violation?.name).toBe('noWritableSharing');
    expect(early.labels.at(-1)).toBe('P0.T1@c1 globalUpdatePte.updateCopy');
    expect(without('faultHoldsRefLock', 'fork-sibling-fault').violation?.name).toBe('noWritableSharing');
    expect(without('faultHoldsRefLock', 'fork-true-fault').violation?.name).toBe('noWritableSharing');
  });

  it('the documented step order with the F1-F3 corrections (setCowLocksRefPte) leaves the window open', () => {
    const oldFix = {
      ...G2_FIXED,
      forkProtectsParentFirst: false,
      forkLocksRefPtes: false,
      setCowLocksRefPte: true,
    };
    const r = bfs('fork-sibling-fault', oldFix);
    expect(r.violation?.name).toBe('noWritableSharing');
    expect(r.labels.at(-1)).toBe('P0.T0@c0 forkCopyRange.writePte');
  });
});

describe('corrected fork: other knobs', () => {
  // With page allocation failures (the ENOMEM paths) and r585's handleCow without the COW re-check;
  // G2 then needs cowProtocol too (documented, its ENOMEM path does not undo the forks decrement).
  it('ENOMEM and cowRecheck = false: every interleaving still passes', () => {
    const g2 = { ...G2_FIXED, cowProtocol: 'decrementAfterUpdate' as const };
    for (const knobs of [G1_FIXED, g2]) {
      for (const scenario of ['fork-sibling-fault', 'fork-true-fault']) {
        const r = bfs(scenario, { ...knobs, allocFailures: true, cowRecheck: false });
        expect([knobs.generation, scenario, r.verdict]).toEqual([knobs.generation, scenario, 'pass']);
      }
    }
    const enomem = bfs('fork-sibling-fault', { ...G2_FIXED, allocFailures: true }).violation;
    expect(enomem?.name).toBe('forksAccounting');
  });

  // Successor states copy only what the footprints say a step writes: copying whole states instead
  // must reach exactly the same states (a cross-check of the new steps' footprints).
  it('copy-on-write successors agree with whole-state copies', () => {
    for (const knobs of [G1_FIXED, G2_FIXED]) {
      for (const scenario of ['fork-sibling-fault', 'fork-sibling-cow']) {
        const cow = bfs(scenario, knobs); // the search of 'every interleaving passes' above
        const whole = search(instance(scenario, knobs), {
          ...defaultSearchOptions,
          strategy: 'bfs',
          copyOnWrite: false,
        });
        expect([cow.verdict, cow.states]).toEqual([whole.verdict, whole.states]);
      }
    }
  });
});

describe('corrected fork: random and PCT campaigns, traced footprints', () => {
  const exec = { maxSteps: 20_000, checkInvariants: true };
  const pct = (seed: number) => pctScheduler(seed, { depth: 3, stepsEstimate: 200 });

  it('the same PCT campaigns find the documented findings', () => {
    for (const generation of ['G1', 'G2'] as const) {
      for (const scenario of ['fork-sibling-fault', 'fork-true-fault', 'fork-sibling-cow']) {
        const found = runCampaign(instance(scenario, { generation }), pct(7), 150, exec).violation;
        expect([generation, scenario, found === null]).toEqual([generation, scenario, false]);
      }
    }
  });

  const variants: Array<[string, Partial<Knobs>]> = [
    ['G1', G1_FIXED],
    ['G2', G2_FIXED],
    ['G2 + cowProtocol', { ...G2_FIXED, cowProtocol: 'decrementAfterUpdate' }],
  ];
  for (const [name, knobs] of variants) {
    it(`${name}: 150 random and 150 PCT runs per fork scenario find nothing`, () => {
      for (const scenario of FORK_SCENARIOS) {
        const inst = instance(scenario, knobs);
        const random = runCampaign(inst, randomScheduler(7), 150, exec);
        const byPct = runCampaign(inst, pct(7), 150, exec);
        expect([scenario, random.violation, byPct.violation]).toEqual([scenario, null, null]);
        expect(random.steps).toBeGreaterThan(150 * 40);
      }
    });

    it(`${name}: traced runs validate the footprints of every step`, () => {
      for (const scenario of FORK_SCENARIOS) {
        const inst = instance(scenario, knobs);
        for (let seed = 1; seed <= 8; seed++) {
          const e = execute(inst, randomScheduler(seed), 0, { ...exec, trace: true });
          expect(e.violation).toBeNull();
        }
      }
    });
  }
});
