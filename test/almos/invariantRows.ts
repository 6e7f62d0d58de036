/**
 * The table of invariants.test.ts: for each ALMOS invariant, the deliberately broken procedure
 * (invariantVariants.ts) it must fire on, the scenario, the bound of the shortest counterexample and
 * the text the violation names; and the small scenarios the table uses.
 */

/** A CODE vseg whose .elf page lives in cluster 1 and a stack, both touched by a thread of cluster 1. */
export const privateScenario = JSON.stringify({
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
export const twoProcesses = JSON.stringify({
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

/** One process unmaps its DATA page (mapped in the reference, forks 0): removeVseg frees it. */
export const munmapOwn = JSON.stringify({
  clusters: 1,
  coresPerCluster: 1,
  framesPerCluster: 2,
  wordsPerPage: 1,
  vpnCount: 2,
  processes: [
    {
      ref: 0,
      vsegs: [{ type: 'DATA', base: 0, size: 1 }],
      pages: [{ vpn: 0, content: [5] }],
      threads: [{ cxy: 0, ops: [{ op: 'munmap', base: 0 }] }],
    },
  ],
});

export interface Row {
  invariant: string;
  variant: string;
  handler?: string;
  scenario: string;
  generation?: 'G1' | 'G2';
  /** Check only these invariants (another one fires at the same step otherwise). */
  only?: readonly string[];
  /** Upper bound of the BFS counterexample length (steps). */
  within: number;
  /** Text the violation message must contain (names the process, cluster, vpn, ppn involved). */
  says: string;
}

export const rows: readonly Row[] = [
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
    within: 40,
    says: 'ppn 8 (cluster 1) is held (allocated) by T1 (P0.T1@c1), which left the kernel',
  },
  {
    invariant: 'noUseAfterFree',
    variant: 'keepEverything',
    handler: 'removeVseg',
    scenario: munmapOwn,
    within: 16,
    says: 'ppn 0 (cluster 0) is allocated but mapped by no GPT and held by no thread (leak)',
  },
  {
    invariant: 'forksNonNegative',
    variant: 'forksUnderflow',
    handler: 'removeVseg',
    scenario: munmapOwn,
    within: 18,
    says: 'ppn 0 (cluster 0): forks = -1 is negative',
  },
  {
    invariant: 'refcountMatchesPtes',
    variant: 'uncountedLocalPte',
    scenario: 'shared-fault',
    within: 34,
    says: 'ppn 8 (cluster 1): refcount = 1, but 2 reference(s)',
  },
  {
    invariant: 'noKernelPanic',
    variant: 'freeFreeFrame',
    scenario: 'shared-fault',
    within: 21,
    says: 'ppmFreePage: page 8 is already free',
  },
  {
    invariant: 'noKernelPanic',
    variant: 'userErrorOnLegal',
    scenario: 'shared-fault',
    only: ['noKernelPanic'],
    within: 10,
    says: 'got USER_ERROR, but the access is legal',
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
