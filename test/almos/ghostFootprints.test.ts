/**
 * The ghost records (src/models/almos/ghost.ts) are written only by steps that declare them: traced
 * random runs (every step's changes validated against its footprint) over scenarios that exercise each
 * writer — page holds (local and RPC allocations and frees, removeVseg, the corrected handleCow's old
 * page), refcount halves (fork, removeVseg), the mmap note, and kernel assertions — with a check that
 * each record really was written, so the validation is not vacuous.
 */
import { describe, expect, it } from 'vitest';
import { execute } from '../../src/engine/executor.js';
import { Instance } from '../../src/engine/instance.js';
import { randomScheduler } from '../../src/engine/schedulers/random.js';
import type { Config } from '../../src/engine/types.js';
import { almosModel } from '../../src/models/almos/model.js';
import type { AlmosShared } from '../../src/models/almos/state.js';
import { g1Corrected, g2Corrected, g2Documented } from '../../src/models/almosManifest.js';

/** T0 unmaps a DATA page, maps ANON memory there and stores; threads of c1 keep loading another page. */
const remap = JSON.stringify({
  clusters: 2,
  coresPerCluster: 2,
  framesPerCluster: 3,
  wordsPerPage: 1,
  vpnCount: 4,
  processes: [
    {
      ref: 0,
      vsegs: [
        { type: 'DATA', base: 0, size: 1 },
        { type: 'DATA', base: 2, size: 1 },
      ],
      pages: [{ vpn: 0, content: [5] }],
      threads: [
        {
          cxy: 0,
          ops: [
            { op: 'munmap', base: 0 },
            { op: 'mmap', type: 'ANON', base: 0, size: 1, cxy: 0 },
            { op: 'store', va: 0, value: 3 },
          ],
        },
        { cxy: 1, ops: Array.from({ length: 8 }, () => ({ op: 'load', va: 2 })) },
        { cxy: 1, ops: [{ op: 'load', va: 0 }, { op: 'exit' }] },
      ],
    },
  ],
});

/** The ghost paths written over `runs` traced runs (footprints validated at every step). */
function ghostWrites(scenario: string, knobs: Config, runs = 20): Set<string> {
  const inst = new Instance<AlmosShared>(almosModel, { ...almosModel.defaultConfig, scenario, ...knobs });
  const written = new Set<string>();
  for (let seed = 1; seed <= runs; seed++) {
    const e = execute(inst, randomScheduler(seed), 0, {
      maxSteps: 20_000,
      checkInvariants: false,
      trace: true,
    });
    for (const t of e.trace ?? [])
      for (const c of t.changes) if (c.path.startsWith('ghost.')) written.add(c.path.split('.')[1] as string);
  }
  return written;
}

describe('ghost records are written only under declared footprints', () => {
  it.each([
    ['cow-exit-race', g1Corrected],
    ['cow-remote-alloc', g1Corrected],
    ['cow-forks-race', g2Corrected],
  ] as const)('%s: page holds and refcount halves', (scenario, knobs) => {
    const written = ghostWrites(scenario, knobs);
    expect(written.has('held')).toBe(true);
    expect(written.has('refcountPending')).toBe(true);
  });

  it('an mmap completing during other operations notes them', () => {
    expect(ghostWrites(remap, g1Corrected, 40).has('mapDoneInOp')).toBe(true);
  });

  it('a kernel assertion (G2 munmap resetting a PTE a fault holds locked) is recorded', () => {
    expect(ghostWrites('munmap-race', g2Documented, 40).has('panic')).toBe(true);
  });
});
