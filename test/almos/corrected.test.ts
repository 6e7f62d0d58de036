/**
 * The corrected variants of the COW protocol (knob `cowProtocol = 'decrementAfterUpdate'`,
 * corrections/cowDecrementAfterUpdate.ts) and of the page fault (knob `faultHoldsRefLock`), against
 * the findings of the documented designs.
 * Each finding runs on a built-in scenario that starts with a fork (scenarios.ts, `cow-*`): exhaustive
 * BFS finds the documented violation (its shortest counterexample shows the mechanism), and the same
 * scenario passes exhaustively with the corrected knob (state counts asserted as change detectors,
 * each paired with DFS+POR reaching the same verdict). Each search runs once. Then traced random
 * runs validate the new steps' footprints, and random campaigns on the other built-in scenarios check
 * that the corrected knobs introduce no violation the documented ones do not have.
 * Every scenario forks first, and the documented fork violates noWritableSharing in its window before
 * any COW runs (docs/findings.md F4); so every run here uses the fork with that window closed
 * (`closed(generation)`: forkProtectsParentFirst with its exclusion) and otherwise documented knobs.
 */
import { describe, expect, it } from 'vitest';
import { replayDecisions, runCampaign } from '../../src/engine/campaign.js';
import { execute } from '../../src/engine/executor.js';
import { Instance } from '../../src/engine/instance.js';
import { randomScheduler } from '../../src/engine/schedulers/random.js';
import { defaultSearchOptions, search } from '../../src/engine/search/index.js';
import type { Knobs } from '../../src/models/almos/knobs.js';
import { almosModel } from '../../src/models/almos/model.js';
import { checkScenario } from '../../src/models/almos/scenario.js';
import { builtinScenarios } from '../../src/models/almos/scenarios.js';
import type { AlmosShared } from '../../src/models/almos/state.js';
import { restrictInvariants } from '../../src/models/manifest.js';

type S = AlmosShared;
const COW = { cowProtocol: 'decrementAfterUpdate' } as const;
const FAULT = { faultHoldsRefLock: true } as const;
const BOTH = { ...COW, ...FAULT };
const gens = ['G1', 'G2'] as const;
/** The fork window closed (F4's correction), nothing else corrected. */
const closed = (generation: 'G1' | 'G2'): Partial<Knobs> =>
  generation === 'G1'
    ? { generation, forkHoldsGptLock: true, forkProtectsParentFirst: true }
    : { generation, forkLocksRefPtes: true, forkProtectsParentFirst: true };

const instance = (scenario: string, knobs: Partial<Knobs>, invariants?: readonly string[]) =>
  new Instance<S>(invariants ? restrictInvariants(almosModel, invariants) : almosModel, {
    ...almosModel.defaultConfig,
    scenario,
    ...knobs,
  });

/** Each search and campaign runs once per file, however many tests read it. */
const memo = new Map<string, unknown>();
function once<T>(key: unknown[], f: () => T): T {
  const k = JSON.stringify(key);
  if (!memo.has(k)) memo.set(k, f());
  return memo.get(k) as T;
}

/** BFS verdict, violation and the labels (`thread proc.step`) of the shortest counterexample. */
const bfs = (scenario: string, knobs: Partial<Knobs>, invariants?: readonly string[]) =>
  once(['bfs', scenario, knobs, invariants], () => bfsOnce(scenario, knobs, invariants));
function bfsOnce(scenario: string, knobs: Partial<Knobs>, invariants?: readonly string[]) {
  const inst = instance(scenario, knobs, invariants);
  const r = search(inst, { ...defaultSearchOptions, strategy: 'bfs' });
  const trace = r.decisions ? (replayDecisions(inst, r.decisions).trace ?? []) : [];
  const labels = trace.map((t) => `${t.thread} ${t.label}`);
  /** Index of the first label of process `p` ('P0', 'P1') ending with `step`, or -1. */
  const is = (p: string, step: string) => (l: string) => l.startsWith(`${p}.`) && l.endsWith(` ${step}`);
  const at = (p: string, step: string) => labels.findIndex(is(p, step));
  /** Index of the last such label, or -1. */
  const lastAt = (p: string, step: string) => {
    const i = [...labels].reverse().findIndex(is(p, step));
    return i < 0 ? -1 : labels.length - 1 - i;
  };
  return { verdict: r.verdict, states: r.states, v: r.violation, labels, at, lastAt };
}

/**
 * The corrected variant passes in exactly `states` states. The count is a change detector (any change
 * to the steps of the model moves it, rightly or not); the independent fact next to it: DFS with
 * partial-order reduction, exploring another (smaller) state space, reaches the same verdict.
 */
function expectGoldenPass(scenario: string, knobs: Partial<Knobs>, states: number) {
  const fixed = bfs(scenario, knobs);
  expect([fixed.verdict, fixed.states]).toEqual(['pass', states]);
  const por = search(instance(scenario, knobs), { ...defaultSearchOptions, strategy: 'dfs', por: true });
  expect([por.verdict, por.states < states]).toEqual(['pass', true]);
}

it('the cow-* built-in scenarios are valid scenarios', () => {
  const names = Object.keys(builtinScenarios).filter((n) => n.startsWith('cow-'));
  expect(names.sort()).toEqual([
    'cow-copy-race',
    'cow-enomem',
    'cow-exit-race',
    'cow-false-fault-race',
    'cow-forks-race',
    'cow-remote-alloc',
    'cow-stack-race',
  ]);
  for (const n of names) expect(checkScenario(builtinScenarios[n])).toMatchObject(builtinScenarios[n] ?? {});
});

describe('finding 1 (G1): handleCow allocates (an RPC) while holding the page busylock', () => {
  it('documented: lockDiscipline at the RPC_PMEM_GET_PAGES; corrected: pass', () => {
    const doc = bfs('cow-remote-alloc', { ...closed('G1') });
    expect([doc.v?.name, doc.v?.step]).toEqual(['lockDiscipline', 41]);
    expect(doc.v?.message).toMatch(/blocks on rpc PMEM_GET_PAGES .* while holding busylock page\.0\.lock/);
    expect(doc.labels.at(-1)).toMatch(/^P\d\.T\d+@c1 rpcSend\.send$/);
    expectGoldenPass('cow-remote-alloc', { ...closed('G1'), ...COW }, 54956);
  });

  it('G2 allocates after releasing the busylock: no lockDiscipline finding, documented or not', () => {
    const inv = ['lockDiscipline'];
    expect(bfs('cow-remote-alloc', { ...closed('G2') }, inv).verdict).toBe('pass');
    expect([bfs('cow-remote-alloc', { ...closed('G2'), ...COW }).verdict]).toEqual(['pass']);
  });
});

describe('finding 2: forks is decremented before the PTE update', () => {
  // The parent decrements, the child reads forks == 0 and makes the page writable in place while the
  // parent's reference GPT still maps it; the parent's thread in cluster 0 loads the child's store.
  it.each(gens)('%s, public page: noWritableSharing, then refinement; corrected: pass', (generation) => {
    const all = bfs('cow-forks-race', closed(generation));
    expect(all.v?.name).toBe('noWritableSharing');
    expect(all.v?.message).toMatch(/^ppn 3 is shared by P0, P1 but P1 c1 vpn 1 -> ppn 3 \(MSRWCU\)/);
    const ref = bfs('cow-forks-race', closed(generation), ['refinement']);
    expect(ref.v?.message).toBe('P0 load from va 1 returned 99, the abstract memory allows [10]');
    const cow = generation === 'G1' ? 'handleCow' : 'handleCowG2';
    expect(ref.at('P0', `${cow}.decForks`)).toBeLessThan(ref.at('P1', `${cow}.readForks`));
    expect(ref.at('P0', `${cow}.update`)).toBe(-1); // the parent has not updated its PTE yet
    expect(ref.labels.at(-1)).toMatch(/^P0\.T1@c0 mmuAccess\.translate$/);
    expectGoldenPass(
      'cow-forks-race',
      { ...closed(generation), ...COW },
      generation === 'G1' ? 17425 : 13640,
    );
  });

  it.each(gens)('%s, private STACK page: noWritableSharing; corrected: pass', (generation) => {
    const doc = bfs('cow-stack-race', closed(generation));
    expect(doc.v?.message).toMatch(/^ppn 0 is shared by P0, P1 but P1 c0 vpn 3 -> ppn 0 \(MSRWCU\)/);
    const cow = generation === 'G1' ? 'handleCow' : 'handleCowG2';
    expect(doc.labels.at(-1)).toMatch(new RegExp(`^P1\\.T\\d+@c0 ${cow}\\.setPte$`));
    expectGoldenPass('cow-stack-race', { ...closed(generation), ...COW }, generation === 'G1' ? 2513 : 2224);
  });
});

describe('finding 3 (G2): forks is decremented before the copy', () => {
  it('G2: the child writes the old page in place before the parent copies it (refinement)', () => {
    const doc = bfs('cow-copy-race', { ...closed('G2') }, ['refinement']);
    expect(doc.v?.message).toBe('P0 load from va 3 returned 99, the abstract memory allows [11]');
    const childStore = doc.lastAt('P1', 'mmuAccess.translate');
    expect(doc.at('P0', 'handleCowG2.decForks')).toBeLessThan(childStore);
    expect(childStore).toBeLessThan(doc.at('P0', 'handleCowG2.copyPage'));
  });

  it('G1 copies before decrementing: no refinement failure; corrected G2: pass', () => {
    expect(bfs('cow-copy-race', { ...closed('G1') }, ['refinement']).verdict).toBe('pass');
    for (const [generation, states] of [
      ['G1', 3728],
      ['G2', 2950],
    ] as const) {
      expectGoldenPass('cow-copy-race', { ...closed(generation), ...COW }, states);
    }
  });
});

describe('finding 4 (G2): ENOMEM after the decrement leaves forks decremented', () => {
  it('G2 documented: forksAccounting; G1 documented and both corrected: pass', () => {
    const doc = bfs('cow-enomem', { ...closed('G2'), allocFailures: true });
    expect([doc.v?.name, doc.v?.message]).toEqual([
      'forksAccounting',
      'ppn 0 (cluster 0): forks = 0 but 2 process(es) hold it (P0 c0 vpn 0, P1 c0 vpn 0), expected 1',
    ]);
    expect(bfs('cow-enomem', { ...closed('G1'), allocFailures: true }).verdict).toBe('pass');
    for (const [generation, states] of [
      ['G1', 265],
      ['G2', 268],
    ] as const) {
      expectGoldenPass('cow-enomem', { ...closed(generation), allocFailures: true, ...COW }, states);
    }
  });
});

describe('finding 5: a false page fault installs a stale reference PTE after a COW', () => {
  it.each(gens)('%s: the load returns the pre-store value (refinement); faultHoldsRefLock: pass', (g) => {
    const doc = bfs('cow-false-fault-race', closed(g));
    expect([doc.v?.name, doc.v?.message]).toEqual([
      'refinement',
      'P0 load from va 0 returned 10, the abstract memory allows [1]',
    ]);
    const [fault, cow] = g === 'G1' ? ['handlePageFault', 'handleCow'] : ['handlePageFaultG2', 'handleCowG2'];
    const read = doc.at('P0', g === 'G1' ? `${fault}.pubReadRef` : `${fault}.checkRef`);
    expect(read).toBeLessThan(doc.at('P0', `${cow}.update`));
    const install = doc.labels.findIndex((l) => l.endsWith(g === 'G1' ? 'falseCopy' : 'setLocalFromRef'));
    expect(doc.at('P0', `${cow}.update`)).toBeLessThan(install);
    expectGoldenPass('cow-false-fault-race', { ...closed(g), ...FAULT }, g === 'G1' ? 2967 : 2537);
  });
});

describe('also found: documented COW vs a concurrent exit of the other holder', () => {
  it.each(gens)('%s: the exiting child frees the page the parent still maps; corrected: pass', (g) => {
    const doc = bfs('cow-exit-race', closed(g));
    expect(doc.v?.name).toBe('noUseAfterFree');
    expect(doc.v?.message).toMatch(/^ppn 0 \(cluster 0\) is free but mapped: P0 c0 vpn 0 -> ppn 0/);
    expectGoldenPass('cow-exit-race', { ...closed(g), ...COW }, g === 'G1' ? 1305 : 1293);
  });
});

describe('both corrections together', () => {
  const names = Object.keys(builtinScenarios).filter((n) => n.startsWith('cow-'));
  // ENOMEM on cow-remote-alloc also passes (G1: 75 070 states), left out for time.
  const failures = (n: string) =>
    n === 'cow-enomem' ? [true] : n === 'cow-remote-alloc' ? [false] : [false, true];
  it.each(gens)('%s: every cow-* scenario passes exhaustively (with and without ENOMEM)', (generation) => {
    for (const n of names)
      for (const allocFailures of failures(n))
        expect([n, allocFailures, bfs(n, { ...closed(generation), allocFailures, ...BOTH }).verdict]).toEqual(
          [n, allocFailures, 'pass'],
        );
  });

  it('last one out frees: parent and child both copy, the second to settle frees the old page', () => {
    for (const generation of gens) {
      const inst = instance('cow-remote-alloc', { ...closed(generation), ...BOTH });
      let freed = 0;
      for (let seed = 0; seed < 200; seed++) {
        const e = execute(inst, randomScheduler(seed), 0, {
          maxSteps: 5000,
          checkInvariants: true,
          trace: true,
        });
        expect(e.violation).toBeNull();
        const labels = (e.trace ?? []).map((t) => t.label);
        const last = labels.lastIndexOf('cowReleaseOld.freePage');
        if (last < 0 || labels[last + 1] !== 'ppmFreePage.start') continue;
        freed++;
        const s = e.state.shared;
        expect(s.page[0]?.free).toBe(true);
        expect([0, 1].map((pid) => s.proc[pid]?.copy[s.proc[pid]?.ref ?? -1]?.gpt[0]?.ppn)).not.toContain(0);
      }
      expect(freed).toBeGreaterThan(0);
    }
  });
});

describe('footprints and coverage of the corrected steps', () => {
  it('traced random runs of the cow-* scenarios validate footprints and reach every new step', () => {
    const seen = new Set<string>();
    for (const n of Object.keys(builtinScenarios).filter((x) => x.startsWith('cow-')))
      for (const generation of gens)
        for (const allocFailures of [false, true]) {
          const inst = instance(n, { ...closed(generation), allocFailures, ...BOTH });
          for (let seed = 0; seed < 8; seed++) {
            const e = execute(inst, randomScheduler(seed), 0, {
              maxSteps: 5000,
              checkInvariants: true,
              trace: true,
            });
            expect(e.violation).toBeNull();
            for (const t of e.trace ?? []) seen.add(t.label);
          }
        }
    const release = Object.keys(almosModel.procedures.cowReleaseOld?.steps ?? {}).map(
      (l) => `cowReleaseOld.${l}`,
    );
    const steps = [
      ...release,
      'handleCow.allocate',
      'handleCow.settle',
      'handleCowG2.settle',
      'handlePageFault.falseUnlockRef',
    ];
    expect(steps.filter((l) => !seen.has(l))).toEqual([]);
  });
});

describe('no regression on the other built-in scenarios (random campaigns)', () => {
  const others = Object.keys(builtinScenarios).filter((n) => !n.startsWith('cow-'));
  const campaign = (scenario: string, knobs: Partial<Knobs>) =>
    once(['campaign', scenario, knobs], () =>
      runCampaign(instance(scenario, knobs), randomScheduler(1), 150, {
        maxSteps: 20_000,
        checkInvariants: true,
      }),
    );

  it.each(gens)('%s: faults, shared-fault and fork pass with the corrected knobs', (generation) => {
    for (const n of ['faults', 'shared-fault', 'fork'])
      expect([n, campaign(n, { ...closed(generation), ...BOTH }).violation?.name ?? 'pass']).toEqual([
        n,
        'pass',
      ]);
  });

  it.each(gens)('%s: a scenario passing with the documented knobs passes with the corrected ones', (g) => {
    for (const n of others) {
      if (campaign(n, closed(g)).violation !== null) continue;
      expect([n, campaign(n, { ...closed(g), ...BOTH }).violation?.name ?? 'pass']).toEqual([n, 'pass']);
    }
  });
});
