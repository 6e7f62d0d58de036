/**
 * Built-in scenarios, in the same JSON format users write (`--scenario FILE`); the manifest rows use
 * them by name. `default` is the standard configuration of the benchmarks: 2 clusters x 2 cores,
 * 2 processes, 4 user threads, 8 operations each.
 */
import type { Scenario } from './scenario.js';

const base = { clusters: 2, coresPerCluster: 2, framesPerCluster: 8, wordsPerPage: 1, vpnCount: 16 };

export const builtinScenarios: { readonly [name: string]: Scenario } = {
  default: {
    ...base,
    framesPerCluster: 12,
    files: [{ cxy: 1, pages: [[70], [71]] }],
    processes: [
      {
        ref: 0,
        vsegs: [
          { type: 'DATA', base: 0, size: 4 },
          { type: 'FILE', base: 8, size: 2, file: 0 },
        ],
        pages: [
          { vpn: 0, content: [10] },
          { vpn: 1, content: [11] },
        ],
        threads: [
          {
            cxy: 0,
            ops: [
              { op: 'load', va: 0 },
              { op: 'store', va: 1, value: 1 },
              { op: 'load', va: 2 },
              { op: 'store', va: 8, value: 2 },
              { op: 'load', va: 3 },
              { op: 'store', va: 0, value: 3 },
              { op: 'load', va: 1 },
              { op: 'load', va: 9 },
            ],
          },
          {
            cxy: 1,
            ops: [
              { op: 'load', va: 1 },
              { op: 'store', va: 2, value: 4 },
              { op: 'load', va: 0 },
              { op: 'load', va: 8 },
              { op: 'store', va: 3, value: 5 },
              { op: 'load', va: 2 },
              { op: 'store', va: 1, value: 6 },
              { op: 'load', va: 12 },
            ],
          },
        ],
      },
      {
        ref: 1,
        vsegs: [
          { type: 'DATA', base: 0, size: 2 },
          { type: 'ANON', base: 4, size: 2, cxy: 0 },
          { type: 'FILE', base: 8, size: 2, file: 0 },
        ],
        pages: [{ vpn: 0, content: [20] }],
        threads: [
          {
            cxy: 1,
            ops: [
              { op: 'load', va: 0 },
              { op: 'store', va: 4, value: 7 },
              { op: 'load', va: 9 },
              { op: 'store', va: 1, value: 8 },
              { op: 'load', va: 5 },
              { op: 'load', va: 4 },
              { op: 'store', va: 0, value: 9 },
              { op: 'load', va: 1 },
            ],
          },
          {
            cxy: 0,
            ops: [
              { op: 'load', va: 4 },
              { op: 'load', va: 1 },
              { op: 'store', va: 5, value: 10 },
              { op: 'load', va: 8 },
              { op: 'load', va: 0 },
              { op: 'store', va: 4, value: 11 },
              { op: 'load', va: 5 },
              { op: 'load', va: 14 },
            ],
          },
        ],
      },
    ],
  },
  /** Two threads of one process in two clusters touch the same public page: true then false faults. */
  'shared-fault': {
    ...base,
    processes: [
      {
        ref: 0,
        vsegs: [{ type: 'DATA', base: 0, size: 2 }],
        threads: [
          { cxy: 0, ops: [{ op: 'store', va: 1, value: 5 }] },
          { cxy: 1, ops: [{ op: 'load', va: 1 }] },
        ],
      },
    ],
  },
  /** A thread writes its stack, forks into the other cluster (the child loads both pages), then writes DATA. */
  fork: {
    ...base,
    framesPerCluster: 4,
    vpnCount: 4,
    processes: [
      {
        ref: 0,
        vsegs: [{ type: 'DATA', base: 0, size: 1 }],
        pages: [{ vpn: 0, content: [10] }],
        threads: [
          {
            cxy: 0,
            stack: { base: 3, size: 1 },
            ops: [
              { op: 'store', va: 3, value: 7 },
              {
                op: 'fork',
                cxy: 1,
                ops: [
                  { op: 'load', va: 0 },
                  { op: 'load', va: 3 },
                ],
              },
              { op: 'store', va: 0, value: 5 },
            ],
          },
        ],
      },
    ],
  },
  /**
   * A local fork while a sibling thread in the other cluster faults on, then writes, the shared page
   * (findings: G1 the false fault installs the pre-fork writable PTE after setCow; G2 setCow's set_pte
   * undoes the sibling's globalUpdatePte).
   */
  'fork-sibling-fault': {
    ...base,
    framesPerCluster: 4,
    vpnCount: 4,
    processes: [
      {
        ref: 0,
        vsegs: [{ type: 'DATA', base: 0, size: 1 }],
        pages: [{ vpn: 0, content: [10] }],
        threads: [
          { cxy: 0, ops: [{ op: 'fork', cxy: 0, ops: [{ op: 'load', va: 0 }] }] },
          {
            cxy: 1,
            ops: [
              { op: 'load', va: 0 },
              { op: 'store', va: 0, value: 5 },
            ],
          },
        ],
      },
    ],
  },
  /**
   * munmap of a DATA page in the reference cluster while a thread in the other cluster loads it twice
   * (findings, both copy orders: the copy re-fetches the vseg or re-faults a fresh zero page while the
   * walk runs; G2: resetting the PTE clears the LOCKED bit of the racing fault).
   */
  'munmap-race': {
    ...base,
    framesPerCluster: 3,
    vpnCount: 8,
    coresPerCluster: 1,
    processes: [
      {
        ref: 0,
        vsegs: [{ type: 'DATA', base: 0, size: 1 }],
        pages: [{ vpn: 0, content: [10] }],
        threads: [
          { cxy: 0, ops: [{ op: 'munmap', base: 0 }] },
          {
            cxy: 1,
            ops: [
              { op: 'load', va: 0 },
              { op: 'load', va: 0 },
            ],
          },
        ],
      },
    ],
  },
  /**
   * A local fork while a sibling thread in the other cluster takes a true page fault on an unmapped DATA
   * page and writes it; the child then loads it (finding G1: forkCopy copies the new reference PTE, setCow
   * skips the still unmapped copy, the fault sets it writable; corrected by forkHoldsGptLock).
   */
  'fork-true-fault': {
    ...base,
    framesPerCluster: 4,
    vpnCount: 4,
    processes: [
      {
        ref: 0,
        vsegs: [{ type: 'DATA', base: 0, size: 2 }],
        pages: [{ vpn: 0, content: [10] }],
        threads: [
          { cxy: 0, ops: [{ op: 'fork', cxy: 0, ops: [{ op: 'load', va: 1 }] }] },
          { cxy: 1, ops: [{ op: 'store', va: 1, value: 5 }] },
        ],
      },
    ],
  },
  /**
   * COW finding 1 (G1): T0 forks in cluster 1, then parent and child store to a DATA page whose
   * target cluster is 0: each COW allocates remotely (RPC_PMEM_GET_PAGES), which the documented G1
   * handleCow does while holding the page busylock (lockDiscipline). With the corrected
   * `cowProtocol`, both may copy and the last one out frees the old page (RPC_PMEM_RELEASE_PAGES).
   */
  'cow-remote-alloc': {
    ...base,
    framesPerCluster: 3,
    vpnCount: 1,
    processes: [
      {
        ref: 0,
        vsegs: [{ type: 'DATA', base: 0, size: 1 }],
        pages: [{ vpn: 0, content: [10] }],
        threads: [
          {
            cxy: 1,
            ops: [
              {
                op: 'fork',
                cxy: 1,
                ops: [
                  { op: 'store', va: 0, value: 2 },
                  { op: 'load', va: 0 },
                ],
              },
              { op: 'store', va: 0, value: 1 },
              { op: 'load', va: 0 },
            ],
          },
        ],
      },
    ],
  },
  /**
   * COW finding 2: after a fork in cluster 1, parent and child store to the shared page (target 1:
   * local allocations) while a parent thread in the reference cluster 0 loads it. Documented, forks is
   * decremented before the PTE update: the child reads forks == 0 and writes the page in place while
   * the parent's reference GPT still maps it (noWritableSharing; the load returns 99: refinement).
   */
  'cow-forks-race': {
    ...base,
    framesPerCluster: 3,
    vpnCount: 2,
    processes: [
      {
        ref: 0,
        vsegs: [{ type: 'DATA', base: 0, size: 2 }],
        pages: [{ vpn: 1, content: [10] }],
        threads: [
          {
            cxy: 1,
            ops: [
              { op: 'fork', cxy: 1, ops: [{ op: 'store', va: 1, value: 99 }] },
              { op: 'store', va: 1, value: 1 },
            ],
          },
          { cxy: 0, ops: [{ op: 'load', va: 1 }] },
        ],
      },
    ],
  },
  /**
   * COW finding 3 (G2): as cow-forks-race with two words per page and no reader: G2 decrements forks
   * before the copy, the child writes word 1 of the old page in place, the parent's copy carries it.
   */
  'cow-copy-race': {
    ...base,
    framesPerCluster: 3,
    wordsPerPage: 2,
    vpnCount: 2,
    processes: [
      {
        ref: 0,
        vsegs: [{ type: 'DATA', base: 0, size: 2 }],
        pages: [{ vpn: 1, content: [10, 11] }],
        threads: [
          {
            cxy: 1,
            ops: [
              { op: 'fork', cxy: 1, ops: [{ op: 'store', va: 3, value: 99 }] },
              { op: 'store', va: 2, value: 1 },
              { op: 'load', va: 3 },
            ],
          },
        ],
      },
    ],
  },
  /**
   * COW finding 4 (G2, with allocFailures): one cluster; the parent breaks the COW after a fork and the
   * allocation fails: the documented G2 handleCow has already decremented forks (forksAccounting).
   */
  'cow-enomem': {
    ...base,
    clusters: 1,
    framesPerCluster: 2,
    vpnCount: 1,
    processes: [
      {
        ref: 0,
        vsegs: [{ type: 'DATA', base: 0, size: 1 }],
        pages: [{ vpn: 0, content: [10] }],
        threads: [
          {
            cxy: 0,
            ops: [
              { op: 'fork', cxy: 0, ops: [{ op: 'load', va: 0 }] },
              { op: 'store', va: 0, value: 1 },
              { op: 'load', va: 0 },
            ],
          },
        ],
      },
    ],
  },
  /**
   * COW finding 2, private path: parent and child (same cluster) both store to the forked STACK page.
   * Documented, the last holder makes the page writable in place before the parent stops mapping it.
   */
  'cow-stack-race': {
    ...base,
    clusters: 1,
    framesPerCluster: 3,
    vpnCount: 4,
    processes: [
      {
        ref: 0,
        vsegs: [],
        threads: [
          {
            cxy: 0,
            stack: { base: 3, size: 1 },
            ops: [
              { op: 'store', va: 3, value: 7 },
              {
                op: 'fork',
                cxy: 0,
                ops: [
                  { op: 'store', va: 3, value: 3 },
                  { op: 'load', va: 3 },
                ],
              },
              { op: 'store', va: 3, value: 5 },
              { op: 'load', va: 3 },
            ],
          },
        ],
      },
    ],
  },
  /**
   * Documented COW vs a concurrent exit: the child exits while the parent breaks the COW. The parent
   * decrements forks before its update, the exiting child then sees forks == 0 and frees the page the
   * parent still maps (noUseAfterFree). Corrected: the child decrements, the parent frees last.
   */
  'cow-exit-race': {
    ...base,
    clusters: 1,
    framesPerCluster: 2,
    vpnCount: 1,
    processes: [
      {
        ref: 0,
        vsegs: [{ type: 'DATA', base: 0, size: 1 }],
        pages: [{ vpn: 0, content: [10] }],
        threads: [
          {
            cxy: 0,
            ops: [
              { op: 'fork', cxy: 0, ops: [{ op: 'exit' }] },
              { op: 'store', va: 0, value: 1 },
              { op: 'load', va: 0 },
            ],
          },
        ],
      },
    ],
  },
  /**
   * COW finding 5: T0 forks in cluster 1, then loads the shared page (a false page fault: its copy
   * does not map it) while T1 in the reference cluster 0 breaks the COW. The fault reads the reference
   * PTE, the COW updates the reference (skipping the unmapped copy entry), the fault installs the stale
   * PTE: the load returns the pre-store value (refinement). Corrected by `faultHoldsRefLock`.
   */
  'cow-false-fault-race': {
    ...base,
    framesPerCluster: 3,
    vpnCount: 1,
    processes: [
      {
        ref: 0,
        vsegs: [{ type: 'DATA', base: 0, size: 1 }],
        pages: [{ vpn: 0, content: [10] }],
        threads: [
          {
            cxy: 1,
            ops: [
              { op: 'fork', cxy: 1, ops: [] },
              { op: 'load', va: 0 },
            ],
          },
          { cxy: 0, ops: [{ op: 'store', va: 0, value: 1 }] },
        ],
      },
    ],
  },
  /**
   * A thread forks twice in the reference cluster while a sibling in the other cluster faults on, then
   * writes, the page the first fork made COW: its COW may run during the second fork (G2 finding with
   * setCowLocksRefPte alone: globalUpdatePte releases the reference PTE lock at its first store, before
   * the copy; corrected by updateRefLast).
   */
  'fork-sibling-cow': {
    ...base,
    framesPerCluster: 4,
    vpnCount: 4,
    processes: [
      {
        ref: 0,
        vsegs: [{ type: 'DATA', base: 0, size: 1 }],
        pages: [{ vpn: 0, content: [10] }],
        threads: [
          {
            cxy: 0,
            ops: [
              { op: 'fork', cxy: 0, ops: [] },
              { op: 'fork', cxy: 0, ops: [] },
            ],
          },
          {
            cxy: 1,
            ops: [
              { op: 'load', va: 0 },
              { op: 'store', va: 0, value: 5 },
            ],
          },
        ],
      },
    ],
  },
  /**
   * As fork-sibling-cow, but the forking thread runs outside the reference cluster: setCow runs in the
   * reference cluster's RPC server (RPC_VMM_SET_COW) while the sibling's COW holds gpt(R) across its
   * RPCs to that cluster (G1's forkHoldsGptLock is taken by the forking thread, so no server waits for
   * gpt(R)).
   */
  'fork-remote-sibling-cow': {
    ...base,
    framesPerCluster: 4,
    vpnCount: 4,
    processes: [
      {
        ref: 0,
        vsegs: [{ type: 'DATA', base: 0, size: 1 }],
        pages: [{ vpn: 0, content: [10] }],
        threads: [
          {
            cxy: 1,
            ops: [
              { op: 'fork', cxy: 1, ops: [] },
              { op: 'fork', cxy: 1, ops: [] },
            ],
          },
          {
            cxy: 1,
            ops: [
              { op: 'load', va: 0 },
              { op: 'store', va: 0, value: 5 },
            ],
          },
        ],
      },
    ],
  },
  /**
   * Two threads of one process fork at the same time (one child in each cluster); the second then
   * writes the shared page while the first fork may still be open (both windows must be tracked:
   * spec/memory.ts `forking` is a list).
   */
  'fork-concurrent': {
    ...base,
    framesPerCluster: 4,
    vpnCount: 4,
    processes: [
      {
        ref: 0,
        vsegs: [{ type: 'DATA', base: 0, size: 1 }],
        pages: [{ vpn: 0, content: [10] }],
        threads: [
          { cxy: 0, ops: [{ op: 'fork', cxy: 0, ops: [{ op: 'load', va: 0 }] }] },
          {
            cxy: 0,
            ops: [
              { op: 'fork', cxy: 1, ops: [] },
              { op: 'store', va: 0, value: 5 },
            ],
          },
        ],
      },
    ],
  },
};
