/**
 * Built-in scenarios: getVseg filling a copy's VSL (docs/findings.md, V1).
 */
import type { Scenario } from '../scenario.js';
import { base } from './base.js';

export const getVsegScenarios: { readonly [name: string]: Scenario } = {
  /**
   * Two threads of one process in the same non-reference cluster 1 load the same DATA page: both miss
   * the vseg in the local VSL, both fetch it from the reference (G1 RPC_VMM_GET_VSEG, G2 a remote read)
   * and, as r585 vmm_get_vseg documents it, both attach it (vslNoOverlap). Corrected by `attachRecheck`.
   */
  'getvseg-double-attach': {
    ...base,
    framesPerCluster: 2,
    vpnCount: 2,
    processes: [
      {
        ref: 0,
        vsegs: [{ type: 'DATA', base: 0, size: 1 }],
        pages: [{ vpn: 0, content: [10] }],
        threads: [
          { cxy: 1, ops: [{ op: 'load', va: 0 }] },
          { cxy: 1, ops: [{ op: 'load', va: 0 }] },
        ],
      },
    ],
  },
};
