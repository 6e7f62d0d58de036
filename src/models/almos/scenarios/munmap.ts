/**
 * Built-in scenarios: munmap racing page faults (docs/findings.md, M1-M4).
 */
import type { Scenario } from '../scenario.js';
import { base } from './base.js';

export const munmapScenarios: { readonly [name: string]: Scenario } = {
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
   * munmap and the racing fault in two clusters that are not the reference: T0 in c1 unmaps the DATA
   * page (mapped in the reference c0) that T1 in c2 loads twice (munmapProtocol, corrected variant).
   */
  'munmap-race-remote': {
    ...base,
    clusters: 3,
    framesPerCluster: 2,
    vpnCount: 6,
    coresPerCluster: 1,
    processes: [
      {
        ref: 0,
        vsegs: [{ type: 'DATA', base: 0, size: 1 }],
        pages: [{ vpn: 0, content: [10] }],
        threads: [
          { cxy: 1, ops: [{ op: 'munmap', base: 0 }] },
          { cxy: 2, ops: [{ op: 'load', va: 0 }] },
        ],
      },
    ],
  },
  /**
   * munmap of a DATA page not mapped yet, in the reference c0, while T1 in c1 stores to it then loads
   * it: the store takes the true page fault path (allocation and mapping in gpt(R) and gpt(L)).
   */
  'munmap-true-fault-race': {
    ...base,
    framesPerCluster: 3,
    vpnCount: 8,
    coresPerCluster: 1,
    processes: [
      {
        ref: 0,
        vsegs: [{ type: 'DATA', base: 0, size: 1 }],
        threads: [
          { cxy: 0, ops: [{ op: 'munmap', base: 0 }] },
          {
            cxy: 1,
            ops: [
              { op: 'store', va: 0, value: 7 },
              { op: 'load', va: 0 },
            ],
          },
        ],
      },
    ],
  },
};
