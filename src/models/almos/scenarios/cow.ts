/**
 * Built-in scenarios: Copy-on-write races: each starts with a real fork, then concurrent COW faults, exits or false
 * faults on the shared pages (docs/findings.md, C1-C7).
 */
import type { Scenario } from '../scenario.js';
import { base } from './base.js';

export const cowScenarios: { readonly [name: string]: Scenario } = {
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
};
