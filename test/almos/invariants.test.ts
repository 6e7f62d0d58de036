/**
 * The ALMOS invariants end to end: all twelve are registered with their spec names and checking
 * times; they hold on the initial states, traced random runs and the exhaustive search of the
 * built-in scenarios (G1 and G2); and each one fires, with a shortest (BFS) counterexample that replays
 * traced to the same violation, on a deliberately broken page fault handler or a corrupted initial
 * state. Unit tests of each check on hand-built states are in invariantChecks.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { replayDecisions, runCampaign } from '../../src/engine/campaign.js';
import { execute } from '../../src/engine/executor.js';
import { Instance } from '../../src/engine/instance.js';
import { randomScheduler } from '../../src/engine/schedulers/random.js';
import { defaultSearchOptions, search } from '../../src/engine/search/index.js';
import type { Model, Procedure } from '../../src/engine/types.js';
import type { Pte } from '../../src/hw/pte.js';
import { almosInvariants } from '../../src/models/almos/invariants/index.js';
import { type AlmosConfig, almos, almosModel } from '../../src/models/almos/model.js';
import type { AlmosShared, PageDesc, Vseg } from '../../src/models/almos/state.js';
import * as broken from './invariantVariants.js';

type M = Model<AlmosShared, AlmosConfig>;
const instance = (model: M, scenario: string, knobs: Partial<AlmosConfig> = {}) =>
  new Instance<AlmosShared>(model, { ...almosModel.defaultConfig, scenario, ...knobs });
const bfs = (inst: Instance<AlmosShared>) =>
  search(inst, { ...defaultSearchOptions, strategy: 'bfs', maxStates: 200_000 });

const specOrder = [
  'copyCoherence',
  'copySubsetOfReference',
  'privateLocality',
  'placement',
  'forksAccounting',
  'noWritableSharing',
  'cowExcludesWritable',
  'noUseAfterFree',
  'mappingsInsideVsegs',
  'lockDiscipline',
  'refinement',
  'noKernelPanic',
];

describe('the ALMOS invariant registry', () => {
  it('has the twelve spec invariants, quiescent exactly where the spec marks Q, each declaring its reads', () => {
    expect(almosInvariants.map((i) => i.name)).toEqual(specOrder);
    const quiescent = almosInvariants.filter((i) => i.when === 'quiescent').map((i) => i.name);
    expect(quiescent).toEqual(['copyCoherence', 'forksAccounting']);
    for (const inv of almosInvariants) expect(inv.reads?.length ?? 0).toBeGreaterThan(0);
    const inst = instance(almosModel, 'faults');
    expect(inst.invariants.map((i) => i.name).sort()).toEqual([...specOrder].sort());
  });
});

const runs = ['G1', 'G2'].flatMap((generation) =>
  ['faults', 'shared-fault'].map((scenario) => ({ generation: generation as 'G1' | 'G2', scenario })),
);

describe.each(runs)('on $scenario ($generation) every invariant holds', ({ generation, scenario }) => {
  const inst = instance(almosModel, scenario, { generation });

  it('on the initial state', () => {
    const st = inst.init();
    for (const inv of almosInvariants) expect(inv.check(st), inv.name).toBeNull();
  });

  it('in 12 traced random runs (footprints validated), the Q ones at each quiescent state', () => {
    for (let run = 0; run < 12; run++) {
      const e = execute(inst, randomScheduler(3), run, {
        maxSteps: 5000,
        checkInvariants: true,
        trace: true,
      });
      expect(e.violation).toBeNull();
      expect(inst.allDone(e.state)).toBe(true);
      for (const inv of almosInvariants) expect(inv.check(e.state), inv.name).toBeNull();
    }
  });

  it('in a 100-run random campaign', () => {
    const result = runCampaign(inst, randomScheduler(9), 100, {
      maxSteps: 5000,
      checkInvariants: true,
    });
    expect(result.violation).toBeNull();
    expect(result.runs).toBe(100);
  });
});

describe('exhaustive search of shared-fault', () => {
  it.each(['G1', 'G2'] as const)('%s: every reachable state satisfies every invariant', (generation) => {
    const r = bfs(instance(almosModel, 'shared-fault', { generation }));
    expect(r.verdict).toBe('pass');
    expect(r.states).toBeGreaterThan(100);
  });
});

/** A CODE vseg whose .elf page lives in cluster 1 and a stack, both touched by a thread of cluster 1. */
const privateScenario = JSON.stringify({
  clusters: 2,
  coresPerCluster: 1,
  framesPerCluster: 4,
  wordsPerPage: 1,
  vpnCount: 8,
  files: [{ cxy: 1, pages: [[70]] }],
  processes: [
    {
      ref: 0,
      vsegs: [{ type: 'CODE', base: 0, size: 1, file: 0 }],
      threads: [
        {
          cxy: 1,
          stack: { base: 4, size: 1 },
          ops: [
            { op: 'load', va: 0 },
            { op: 'store', va: 4, value: 3 },
          ],
        },
      ],
    },
  ],
});

/** Two processes with a DATA vseg at the same vpns; P0 has vpn 0 mapped, P1's thread loads it. */
const twoProcesses = JSON.stringify({
  clusters: 2,
  coresPerCluster: 1,
  framesPerCluster: 4,
  wordsPerPage: 1,
  vpnCount: 8,
  processes: [
    { ref: 0, vsegs: [{ type: 'DATA', base: 0, size: 2 }], pages: [{ vpn: 0, content: [7] }], threads: [] },
    {
      ref: 1,
      vsegs: [{ type: 'DATA', base: 0, size: 2 }],
      threads: [{ cxy: 1, ops: [{ op: 'load', va: 0 }] }],
    },
  ],
});

interface Row {
  invariant: string;
  variant: string;
  handler?: string;
  scenario: string;
  generation?: 'G1' | 'G2';
  /** Upper bound of the BFS counterexample length (steps). */
  within: number;
  /** Text the violation message must contain (names the process, cluster, vpn, ppn involved). */
  says: string;
}

const rows: Row[] = [
  {
    invariant: 'copyCoherence',
    variant: 'nonCachableCopy',
    scenario: 'shared-fault',
    within: 45,
    says: 'P0 c1 vpn 1 -> ppn 8',
  },
  {
    invariant: 'copySubsetOfReference',
    variant: 'localOnlyTrueFault',
    scenario: 'shared-fault',
    within: 40,
    says: 'P0 c1 vpn 1 -> ppn 8',
  },
  {
    invariant: 'privateLocality',
    variant: 'privateInReference',
    scenario: privateScenario,
    within: 42,
    says: 'CODE replica page lives in cluster 0, not in c1',
  },
  {
    invariant: 'privateLocality',
    variant: 'stackInReference',
    scenario: privateScenario,
    within: 55,
    says: 'STACK vseg [4, 5) of cluster 1 mapped in the GPT of c0',
  },
  {
    invariant: 'placement',
    variant: 'allocHere',
    scenario: 'shared-fault',
    within: 25,
    says: 'DATA page lives in cluster 0, target(1) is 1',
  },
  {
    invariant: 'forksAccounting',
    variant: 'forksOnFault',
    scenario: 'shared-fault',
    within: 40,
    says: 'forks = 1 but 1 process(es) hold it',
  },
  {
    invariant: 'noWritableSharing',
    variant: 'borrowOtherProcessPage',
    scenario: twoProcesses,
    within: 20,
    says: 'ppn 0 is shared by P0, P1',
  },
  {
    invariant: 'cowExcludesWritable',
    variant: 'writableCow',
    scenario: 'shared-fault',
    within: 32,
    says: 'P0 c0 vpn 1 -> ppn 8',
  },
  {
    invariant: 'cowExcludesWritable',
    variant: 'writableCowG2',
    handler: 'handlePageFaultG2',
    scenario: 'shared-fault',
    generation: 'G2',
    within: 20,
    says: 'both COW and WRITABLE',
  },
  {
    invariant: 'noUseAfterFree',
    variant: 'freeWhileMapped',
    scenario: 'shared-fault',
    within: 40,
    says: 'ppn 8 (cluster 1) is free but mapped: P0 c0 vpn 1',
  },
  {
    invariant: 'noUseAfterFree',
    variant: 'allocTwice',
    scenario: 'shared-fault',
    within: 50,
    says: 'ppn 8 (cluster 1) is allocated but mapped by no GPT',
  },
  {
    invariant: 'mappingsInsideVsegs',
    variant: 'mapNextPage',
    scenario: 'shared-fault',
    within: 32,
    says: 'P0 c0 vpn 2 -> ppn 8',
  },
  {
    invariant: 'lockDiscipline',
    variant: 'busylockAcrossRpc',
    scenario: 'shared-fault',
    within: 22,
    says: 'while holding busylock page.0.lock',
  },
  {
    invariant: 'lockDiscipline',
    variant: 'lockBothGpts',
    scenario: 'shared-fault',
    within: 14,
    says: 'wait-for cycle: T0',
  },
  {
    invariant: 'lockDiscipline',
    variant: 'vslLockedAcrossRpc',
    scenario: 'shared-fault',
    within: 16,
    says: 'T1 (P0.T1@c1 at rpcSend.receive) -> T2 (rpc@c0',
  },
  {
    invariant: 'noKernelPanic',
    variant: 'panicking',
    scenario: 'shared-fault',
    within: 12,
    says: 'KERNEL_PANIC',
  },
  {
    invariant: 'refinement',
    variant: 'dirtyFreshPage',
    scenario: 'shared-fault',
    within: 45,
    says: 'returned 42',
  },
];

describe.each(rows)('$invariant fires on the broken handler $variant', (row) => {
  const variant = (broken as unknown as { [k: string]: Procedure<AlmosShared> })[row.variant];
  if (variant === undefined) throw new Error(`no variant ${row.variant}`);
  const model = almos({ overrides: { [row.handler ?? 'handlePageFault']: variant } });
  const inst = instance(model, row.scenario, { generation: row.generation ?? 'G1' });

  it('with a short BFS counterexample that replays traced to the same violation', () => {
    const r = bfs(inst);
    expect(r.violation?.name).toBe(row.invariant);
    expect(r.violation?.message).toContain(row.says);
    expect(r.violation?.step).toBeLessThanOrEqual(row.within);
    const e = replayDecisions(inst, r.decisions ?? []);
    expect(e.violation).toEqual(r.violation);
    expect(e.trace?.length).toBe(r.violation?.step);
  });

  it('and DFS with partial-order reduction (which trusts the declared reads) finds it too', () => {
    const r = search(inst, { ...defaultSearchOptions, strategy: 'dfs', por: true, maxStates: 200_000 });
    expect(r.violation?.name).toBe(row.invariant);
  });
});

describe('invariants fire at step 0 on a corrupted initial state', () => {
  /** almosModel whose init applies `corrupt` to the shared state. */
  const corrupted = (corrupt: (s: AlmosShared) => void): M => ({
    ...almosModel,
    init: (c) => {
      const st = almosModel.init(c);
      corrupt(st.shared);
      return st;
    },
  });
  const firstViolation = (m: M) => execute(instance(m, 'faults'), randomScheduler(1), 0).violation;

  it('forksAccounting (Q, the initial state is quiescent): an initial page with forks = -1', () => {
    const v = firstViolation(corrupted((s) => ((s.page[0] as PageDesc).forks = -1)));
    expect(v).toMatchObject({ name: 'forksAccounting', step: 0 });
    expect(v?.message).toContain('ppn 0 (cluster 0): forks = -1 is negative');
  });

  it('copyCoherence: a copy in cluster 1 maps vpn 0 to another page than the reference', () => {
    const v = firstViolation(
      corrupted((s) => {
        const [ref, c1] = [s.proc[0]?.copy[0], s.proc[0]?.copy[1]];
        if (!ref || !c1) throw new Error('faults: P0 has copies in clusters 0 and 1');
        c1.vsl.push({ ...(ref.vsl[0] as Vseg) });
        c1.gpt[0] = { attr: (ref.gpt[0] as Pte).attr, ppn: (ref.gpt[1] as Pte).ppn };
      }),
    );
    expect(v).toMatchObject({ name: 'copyCoherence', step: 0 });
    expect(v?.message).toContain(
      'P0 c1 vpn 0 -> ppn 14 (MSRWCU) in DATA vseg differs from the reference (c0): ppn 0',
    );
  });
});
