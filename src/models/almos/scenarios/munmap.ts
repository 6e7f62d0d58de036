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
};
