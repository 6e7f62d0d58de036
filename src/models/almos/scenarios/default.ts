/**
 * Built-in scenario `default`, the one `explore` runs when no scenario is named: a tour of every
 * mechanism of the model in one run. 3 clusters x 2 cores; P0 has copies in clusters 0 and 1, P1 in all
 * three; two threads of P0 in its non-reference cluster 1; a fork into cluster 2; COW writes by the
 * parent and by the child; an mmap of an ANON and of a REMOTE vseg; a munmap; two exits. Under the
 * default knobs a few runs enter every procedure the generation can run with the documented handlers
 * (test/almos/defaultScenario.test.ts; `explore` prints the coverage; README, "The default scenario").
 *
 * Machine: file 0 (2 pages, mapper in c2) is shared by both processes through FILE vsegs; file 1 is
 * P0's code (mapper in c1, replicated into each cluster that executes it). DATA page `vpn` lives in
 * `vpn mod 3`.
 * - P0 (reference c0): DATA 0-3 (pages 1, 2 preloaded), ANON 4-5 in c1, CODE 7, FILE 8-9.
 *   T0 (c0, the reference): true faults in the reference, a CODE replica, an mmap of a REMOTE vseg
 *   in c2 and its remote allocation (RPC_PMEM_GET_PAGES), stores that may break a COW after the fork.
 *   T1 (c1): stack, CODE and false faults (RPC_VMM_GET_VSEG), an ANON true fault, then a fork into c2
 *   (RPC_PROCESS_MAKE_FORK; setCow by RPC_VMM_SET_COW to c0), then it breaks the COW of DATA page 1
 *   (RPC_VMM_GLOBAL_UPDATE_PTE) and of its stack page.
 *   T2 (c1): a false fault and a FILE fault, an mmap by RPC_VMM_CREATE_VSEG, a true fault on it, then
 *   its munmap (RPC_VMM_REMOVE_VSEG to c0, which releases the page by RPC_PMEM_RELEASE_PAGES).
 *   The child P2 (c2) breaks the COW of DATA page 2 and of its stack page, then exits.
 * - P1 (reference c1): DATA 0-1 (page 0 preloaded), ANON 4 in c2, FILE 8-9. T3 (c2) faults through
 *   RPCs and exits the process (each copy destroyed in its own cluster) while T4 (c0) still runs.
 * Each COW store targets a page whose copy is allocated in the writer's cluster (the documented G1
 * handleCow allocating remotely under the page busylock is finding C1, scenario cow-remote-alloc).
 */
import type { Scenario } from '../scenario.js';

export const defaultScenario: Scenario = {
  clusters: 3,
  coresPerCluster: 2,
  framesPerCluster: 12,
  wordsPerPage: 1,
  vpnCount: 16,
  files: [
    { cxy: 2, pages: [[70], [71]] },
    { cxy: 1, pages: [[90]] },
  ],
  processes: [
    {
      ref: 0,
      vsegs: [
        { type: 'DATA', base: 0, size: 4 },
        { type: 'ANON', base: 4, size: 2, cxy: 1 },
        { type: 'CODE', base: 7, size: 1, file: 1 },
        { type: 'FILE', base: 8, size: 2, file: 0 },
      ],
      pages: [
        { vpn: 1, content: [11] },
        { vpn: 2, content: [12] },
      ],
      threads: [
        {
          cxy: 0,
          ops: [
            { op: 'load', va: 0 },
            { op: 'store', va: 3, value: 1 },
            { op: 'load', va: 7 },
            { op: 'load', va: 8 },
            { op: 'mmap', type: 'REMOTE', base: 10, size: 1, cxy: 2, file: -1 },
            { op: 'store', va: 10, value: 2 },
            { op: 'load', va: 2 },
            { op: 'store', va: 0, value: 3 },
            { op: 'load', va: 10 },
          ],
        },
        {
          cxy: 1,
          stack: { base: 12, size: 1 },
          ops: [
            { op: 'store', va: 12, value: 4 },
            { op: 'load', va: 7 },
            { op: 'load', va: 1 },
            { op: 'store', va: 4, value: 5 },
            {
              op: 'fork',
              cxy: 2,
              ops: [
                { op: 'store', va: 2, value: 6 },
                { op: 'load', va: 1 },
                { op: 'store', va: 12, value: 7 },
                { op: 'load', va: 12 },
                { op: 'exit' },
              ],
            },
            { op: 'store', va: 1, value: 8 },
            { op: 'load', va: 4 },
            { op: 'store', va: 12, value: 9 },
            { op: 'load', va: 12 },
          ],
        },
        {
          cxy: 1,
          ops: [
            { op: 'load', va: 2 },
            { op: 'load', va: 9 },
            { op: 'mmap', type: 'ANON', base: 14, size: 1, cxy: 1, file: -1 },
            { op: 'store', va: 14, value: 10 },
            { op: 'munmap', base: 14 },
          ],
        },
      ],
    },
    {
      ref: 1,
      vsegs: [
        { type: 'DATA', base: 0, size: 2 },
        { type: 'ANON', base: 4, size: 1, cxy: 2 },
        { type: 'FILE', base: 8, size: 2, file: 0 },
      ],
      pages: [{ vpn: 0, content: [20] }],
      threads: [
        {
          cxy: 2,
          ops: [
            { op: 'load', va: 0 },
            { op: 'store', va: 1, value: 21 },
            { op: 'load', va: 9 },
            { op: 'store', va: 4, value: 22 },
            { op: 'load', va: 1 },
            { op: 'exit' },
          ],
        },
        {
          cxy: 0,
          ops: [
            { op: 'load', va: 1 },
            { op: 'store', va: 0, value: 23 },
            { op: 'load', va: 4 },
            { op: 'load', va: 8 },
            { op: 'store', va: 1, value: 24 },
          ],
        },
      ],
    },
  ],
};
