/**
 * Built-in scenarios: Fork: the child after a fork, and siblings faulting or writing while their process forks
 * (docs/findings.md, F1-F3).
 */
import type { Scenario } from '../scenario.js';
import { base } from './base.js';

export const forkScenarios: { readonly [name: string]: Scenario } = {
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
  /**
   * A fork from cluster 1 while a parent thread in the reference cluster 0 stores to two DATA pages in
   * turn; the child then loads both (findings F4, F5: the child must see the parent's memory at one
   * instant of the fork; documented, setCow protects vpn 0 before vpn 1, so the child can read vpn 0 as
   * it was before the first store and vpn 1 as the second store left it).
   */
  'fork-snapshot': {
    ...base,
    framesPerCluster: 4,
    vpnCount: 4,
    processes: [
      {
        ref: 0,
        vsegs: [{ type: 'DATA', base: 0, size: 2 }],
        pages: [
          { vpn: 0, content: [10] },
          { vpn: 1, content: [20] },
        ],
        threads: [
          {
            cxy: 1,
            ops: [
              {
                op: 'fork',
                cxy: 1,
                ops: [
                  { op: 'load', va: 0 },
                  { op: 'load', va: 1 },
                ],
              },
            ],
          },
          {
            cxy: 0,
            ops: [
              { op: 'store', va: 0, value: 1 },
              { op: 'store', va: 1, value: 2 },
            ],
          },
        ],
      },
    ],
  },
};
