/**
 * Corrected fork variants (knobs `forkHoldsGptLock` G1, `setCowLocksRefPte` + `updateRefLast` G2, with
 * `faultHoldsRefLock`, and in G1 `cowProtocol = decrementAfterUpdate` for handleCow's own busylock
 * finding): exhaustive BFS on the built-in fork scenarios — the documented step order violates an
 * invariant, the corrected knobs pass, and dropping any one of them brings a violation back — then
 * random and PCT campaigns, and traced runs validating the footprints of the corrected steps.
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
  faultHoldsRefLock: true,
  cowProtocol: 'decrementAfterUpdate',
};
const G2_FIXED: Partial<Knobs> = {
  generation: 'G2',
  setCowLocksRefPte: true,
  updateRefLast: true,
  faultHoldsRefLock: true,
};
const FORK_SCENARIOS = [
  'fork',
  'fork-sibling-fault',
  'fork-true-fault',
  'fork-sibling-cow',
  'fork-remote-sibling-cow',
  'fork-concurrent',
] as const;

const instance = (scenario: string, knobs: Partial<Knobs>) =>
  new Instance<S>(almosModel, { ...almosModel.defaultConfig, scenario, ...knobs });

function bfs(scenario: string, knobs: Partial<Knobs>) {
  const inst = instance(scenario, knobs);
  const r = search(inst, { ...defaultSearchOptions, strategy: 'bfs' });
  const trace = r.decisions ? (replayDecisions(inst, r.decisions).trace ?? []) : [];
  return { ...r, labels: trace.map((t) => `${t.thread} ${t.label}`) };
}

describe('documented fork: the findings', () => {
  const cases: Array<[string, Partial<Knobs>, string, string]> = [
    // F1: the sibling's false fault installs the pre-fork writable PTE after setCow skipped its copy.
    ['fork-sibling-fault', { generation: 'G1' }, 'noWritableSharing', 'handlePageFault.falseCopy'],
    // F2: the true fault sets its own copy writable after forkCopy and setCow.
    ['fork-true-fault', { generation: 'G1' }, 'noWritableSharing', 'handlePageFault.trueSetLocal'],
    ['fork-sibling-cow', { generation: 'G1' }, 'noWritableSharing', 'handlePageFault.falseCopy'],
    // F3: setCow's set_pte writes back the value it read at lock time over globalUpdatePte's store
    // (the page written back gains a PTE its refcount does not count: refcountMatchesPtes at the write).
    ['fork-sibling-fault', { generation: 'G2' }, 'refcountMatchesPtes', 'halGptSetCow.setLocked'],
    ['fork-true-fault', { generation: 'G2' }, 'copyCoherence', ''],
    ['fork-sibling-cow', { generation: 'G2' }, 'refcountMatchesPtes', 'halGptSetCow.setLocked'],
  ];
  for (const [scenario, knobs, name, last] of cases) {
    it(`${knobs.generation} ${scenario}: ${name}`, () => {
      const r = bfs(scenario, knobs);
      expect(r.violation?.name).toBe(name);
      if (last !== '') expect(r.labels.at(-1)?.split(' ')[1]).toBe(last);
    });
  }

  it('G2 fork-sibling-fault: globalUpdatePte stores into the copy setCow holds locked', () => {
    const r = bfs('fork-sibling-fault', { generation: 'G2' });
    const at = (label: string) => r.labels.lastIndexOf(label);
    expect(at('P0.T0@c0 lockPte.spin')).toBeLessThan(at('P0.T1@c1 globalUpdatePte.updateCopy'));
    expect(at('P0.T1@c1 globalUpdatePte.updateCopy')).toBeLessThan(at('P0.T0@c0 halGptSetCow.setLocked'));
  });
});

describe('G1 corrected: forkHoldsGptLock + faultHoldsRefLock (+ cowProtocol)', () => {
  const floors: { [scenario: string]: number } = {
    fork: 300,
    'fork-sibling-fault': 2000,
    'fork-true-fault': 8000,
    'fork-sibling-cow': 5000,
    'fork-remote-sibling-cow': 50_000,
    'fork-concurrent': 4000,
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
    expect(without('forkHoldsGptLock', 'fork-true-fault')?.name).toBe('noWritableSharing');
    expect(without('faultHoldsRefLock', 'fork-sibling-fault')?.name).toBe('noWritableSharing');
    // handleCow's documented busylock across the allocation RPC (a finding of its own).
    const documentedCow = bfs('fork-sibling-fault', { ...G1_FIXED, cowProtocol: 'documented' }).violation;
    expect(documentedCow?.name).toBe('lockDiscipline');
    expect(documentedCow?.message).toContain('while holding busylock');
  });
});

describe('G2 corrected: setCowLocksRefPte + updateRefLast + faultHoldsRefLock', () => {
  const floors: { [scenario: string]: number } = {
    fork: 250,
    'fork-sibling-fault': 1500,
    'fork-true-fault': 4000,
    'fork-sibling-cow': 6000,
    'fork-remote-sibling-cow': 7000,
    'fork-concurrent': 10_000,
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
    // The documented walk (copy by copy) with the other two corrections: setCow's set_pte writes the old
    // page back over the copy globalUpdatePte has just given the new one, which no GPT maps any more
    // until the reference store (noUseAfterFree; refcountMatchesPtes at the same step, copyCoherence 86).
    const walk = without('setCowLocksRefPte', 'fork-sibling-fault');
    expect(walk.violation?.name).toBe('noUseAfterFree');
    expect(walk.labels.at(-1)).toBe('P0.T0@c0 halGptSetCow.setLocked');
    // handleCowG2 releases the reference PTE lock at its first store (the reference comes first in
    // the copies list); setCow then marks the copy before globalUpdatePte stores into it.
    const early = without('updateRefLast', 'fork-sibling-cow');
    expect(early.violation?.name).toBe('noWritableSharing');
    expect(early.labels.at(-1)).toBe('P0.T1@c1 globalUpdatePte.updateCopy');
    expect(without('faultHoldsRefLock', 'fork-sibling-fault').violation?.name).toBe('noWritableSharing');
    expect(without('faultHoldsRefLock', 'fork-true-fault').violation?.name).toBe('copyCoherence');
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
        const inst = instance(scenario, knobs);
        const cow = search(inst, { ...defaultSearchOptions, strategy: 'bfs' });
        const whole = search(inst, { ...defaultSearchOptions, strategy: 'bfs', copyOnWrite: false });
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
