/**
 * Built-in scenarios: page faults only. `faults` (the `default` scenario until issue 6: 2 clusters x 2
 * cores, 2 processes, 4 user threads, 8 loads and stores each, no fork, munmap, exit or COW; the
 * benchmarks' almos configuration) and the simplest page-fault race.
 */
import type { Scenario } from '../scenario.js';
import { base } from './base.js';

export const basicScenarios: { readonly [name: string]: Scenario } = {
  /** True and false faults on DATA, ANON and FILE pages from both clusters, and a few user errors. */
  faults: {
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
};
