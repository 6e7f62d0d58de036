/**
 * removeVseg and munmap (shared/spec/almos-mkh.md, "removeVseg"): the release rule, munmap of a vseg
 * mapped in the reference and a copy, munmap racing with a load in another cluster under both copy
 * orders (exhaustive BFS, verdicts asserted), the release policies on a page shared by a fork, bad
 * inputs, and traced random runs (footprints validated).
 */
import { describe, expect, it } from 'vitest';
import { runCampaign } from '../../src/engine/campaign.js';
import { execute } from '../../src/engine/executor.js';
import { randomScheduler } from '../../src/engine/schedulers/random.js';
import { PTE } from '../../src/hw/pte.js';
import { releaseRule } from '../../src/models/almos/removeVseg.js';
import type { Scenario } from '../../src/models/almos/scenario.js';
import { builtinScenarios } from '../../src/models/almos/scenarios.js';
import type { AlmosShared, Copy, Process, VsegType } from '../../src/models/almos/state.js';
import {
  allocatedAnonymous,
  bfs,
  freedBy,
  freedPageMapped,
  instance,
  localValues,
  mixed,
  run,
  strayMapping,
  userVisible,
} from './removeSupport.js';

const gens = ['G1', 'G2'] as const;
const tiny = { clusters: 2, coresPerCluster: 1, framesPerCluster: 3, wordsPerPage: 1, vpnCount: 8 };

/** One DATA vseg of 2 pages (vpn 0 in cluster 0, vpn 1 in cluster 1), reference 0; a thread in c1. */
const unmapFromCopy: Scenario = {
  ...tiny,
  processes: [
    {
      ref: 0,
      vsegs: [{ type: 'DATA', base: 0, size: 2 }],
      pages: [
        { vpn: 0, content: [10] },
        { vpn: 1, content: [11] },
      ],
      threads: [
        {
          cxy: 1,
          ops: [
            { op: 'load', va: 0 },
            { op: 'load', va: 1 },
            { op: 'munmap', base: 0 },
            { op: 'load', va: 0 },
          ],
        },
      ],
    },
  ],
};

/** T0 (c0, in the reference) unmaps the DATA page that T1 (c1) loads twice. */
const race = builtinScenarios['munmap-race'] as Scenario;

describe('releaseRule', () => {
  const table: Array<[VsegType, boolean, string, string]> = [
    ['CODE', false, 'free', 'free'],
    ['STACK', true, 'free', 'forksTest'],
    ['ANON', true, 'free', 'forksTest'],
    ['ANON', false, 'keep', 'keep'],
    ['REMOTE', true, 'free', 'forksTest'],
    ['DATA', true, 'forksTest', 'forksTest'],
    ['DATA', false, 'keep', 'keep'],
    ['FILE', true, 'keep', 'keep'],
  ];
  it.each(table)('%s (authoritative %s): asRecalled %s, forksAware %s', (type, auth, recalled, aware) => {
    expect(releaseRule('asRecalled', type, auth)).toBe(recalled);
    expect(releaseRule('forksAware', type, auth)).toBe(aware);
  });
});

describe.each(gens)('munmap of a DATA vseg mapped in the reference and a copy (%s)', (generation) => {
  it('clears both copies, frees each page in its home cluster; a later load faults', () => {
    const inst = instance(unmapFromCopy, { knobs: { generation } });
    const e = run(inst);
    expect(e.violation).toBeNull();
    const s = e.state.shared;
    const [ppn0, ppn1] = [0, 1].map(
      (v) => ((inst.init().shared.proc[0] as Process).copy[0] as Copy).gpt[v]?.ppn as number,
    );
    for (const c of s.proc[0]?.copy ?? []) {
      expect(c?.vsl ?? []).toEqual([]);
      expect(c?.gpt ?? {}).toEqual({});
    }
    expect(allocatedAnonymous(s)).toEqual([]);
    // The reference (c0) releases both; G1 sends RPC_PMEM_RELEASE_PAGES to c1 for the remote one,
    // G2 frees it by remote access from c0.
    expect(freedBy(e.trace ?? [], e.state, ppn0 as number)).toEqual([0]);
    expect(freedBy(e.trace ?? [], e.state, ppn1 as number)).toEqual([generation === 'G1' ? 1 : 0]);
    expect(e.trace?.some((t) => t.label === 'rpcPmemReleasePages.free')).toBe(generation === 'G1');
    expect(localValues(e.trace ?? [], 0, 'munmapResult')).toEqual([0]);
    expect(localValues(e.trace ?? [], 0, 'killed')).toEqual([true]); // USER_ERROR on the last load
    expect(s.ghost.spec.procs[0]?.regions).toEqual([]);
  });

  it('passes every invariant in every interleaving with copyOrder refLast', () => {
    expect(bfs(instance(unmapFromCopy, { knobs: { generation, copyOrder: 'refLast' } })).verdict).toBe(
      'pass',
    );
  });

  it('refFirst: the copy maps a freed page until its turn comes (no concurrent access needed)', () => {
    const r = bfs(
      instance(unmapFromCopy, {
        knobs: { generation, copyOrder: 'refFirst' },
        invariants: [freedPageMapped],
      }),
    );
    expect(r.violation?.message).toMatch(/^P0 c1 vpn [01] maps free ppn/);
  });
});

describe('munmap racing with a load in another cluster (BFS)', () => {
  const verdict = (generation: 'G1' | 'G2', copyOrder: 'refFirst' | 'refLast', invariants = userVisible) =>
    bfs(instance(race, { knobs: { generation, copyOrder }, invariants })).violation;

  it('G1 refFirst: a true fault after the reference was cleared maps a fresh zero page (load returns 0)', () => {
    expect(verdict('G1', 'refFirst')?.message).toBe(
      'P0 load from va 0 returned 0, the abstract memory allows [10]',
    );
    expect(verdict('G1', 'refFirst', [freedPageMapped])?.message).toBe('P0 c1 vpn 0 maps free ppn 0');
    expect(verdict('G1', 'refFirst', [strayMapping])?.message).toMatch(/^P0 c0 vpn 0 -> ppn \d lies outside/);
  });

  it('G1 refLast: the copy re-fetches the vseg after its turn and maps the page the reference frees', () => {
    expect(verdict('G1', 'refLast')?.message).toBe(
      'P0 load from va 0 succeeded, but the abstract memory says it must fault',
    );
    expect(verdict('G1', 'refLast', [freedPageMapped])?.message).toBe('P0 c1 vpn 0 maps free ppn 0');
  });

  it.each(['refFirst', 'refLast'] as const)(
    'G2 %s: resetting a PTE clears the LOCKED bit of a fault (hal_gpt_unlock_pte asserts: noKernelPanic)',
    (o) => {
      const v = verdict('G2', o);
      expect(v?.name).toBe('noKernelPanic');
      expect(v?.message).toBe('unlockPte: proc.0.copy.0.gpt.0 is not locked');
    },
  );

  it('G2 refLast: a fault holding the copy PTE lock maps it after removeVseg skipped it', () => {
    expect(verdict('G2', 'refLast', [strayMapping])?.message).toBe(
      'P0 c1 vpn 0 -> ppn 0 lies outside the VSL',
    );
  });
});

/** P0 and P1 share ANON page vpn 0 in COW mode (forks = 1), as a fork leaves it; P0 unmaps it. */
const shared: Scenario = {
  ...tiny,
  processes: [
    {
      ref: 0,
      vsegs: [{ type: 'ANON', base: 0, size: 1, cxy: 0 }],
      pages: [{ vpn: 0, content: [5] }],
      threads: [
        {
          cxy: 0,
          ops: [
            { op: 'munmap', base: 0 },
            { op: 'mmap', type: 'ANON', base: 2, size: 1, cxy: 0, file: -1 },
            { op: 'store', va: 2, value: 99 },
          ],
        },
      ],
    },
    {
      ref: 0,
      vsegs: [{ type: 'ANON', base: 0, size: 1, cxy: 0 }],
      pages: [{ vpn: 0, content: [5] }],
      threads: [{ cxy: 1, ops: [{ op: 'load', va: 0 }] }],
    },
  ],
};

function shareAsForked(s: AlmosShared): void {
  const gpt = (pid: number) => ((s.proc[pid] as Process).copy[0] as Copy).gpt;
  const mine = gpt(0)[0] as { attr: number; ppn: number };
  const theirs = gpt(1)[0] as { ppn: number };
  s.page[theirs.ppn] = { free: true, forks: 0, refcount: 0, lock: -1 };
  const attr = (mine.attr | PTE.COW) & ~PTE.WRITABLE;
  gpt(0)[0] = { attr, ppn: mine.ppn };
  gpt(1)[0] = { attr, ppn: mine.ppn };
  s.page[mine.ppn] = { free: false, forks: 1, refcount: 2, lock: -1 };
}

describe.each(gens)('releasePolicy on an ANON page shared by a fork (%s)', (generation) => {
  const setup = (releasePolicy: 'asRecalled' | 'forksAware', invariants?: typeof userVisible) =>
    instance(shared, { knobs: { generation, releasePolicy }, mutate: shareAsForked, invariants });

  it('asRecalled frees it under the other process, which then reads the reused frame', () => {
    expect(bfs(setup('asRecalled', [freedPageMapped])).violation?.message).toBe(
      'P1 c0 vpn 0 maps free ppn 0',
    );
    // 0: the frame was reallocated (zero-filled) for P0's new ANON vseg, still mapped by P1.
    expect(bfs(setup('asRecalled', userVisible)).violation?.message).toBe(
      'P1 load from va 0 returned 0, the abstract memory allows [5]',
    );
  });

  it('forksAware decrements forks and keeps it: every invariant holds', () => {
    expect(bfs(setup('forksAware')).verdict).toBe('pass');
  });
});

describe.each(gens)('munmap bad inputs (%s)', (generation) => {
  const sc: Scenario = {
    ...tiny,
    processes: [
      {
        ref: 0,
        vsegs: [{ type: 'DATA', base: 0, size: 2 }],
        threads: [
          {
            cxy: 1,
            stack: { base: 6, size: 1 },
            ops: [
              { op: 'munmap', base: 4 },
              { op: 'munmap', base: 1 },
              { op: 'munmap', base: 6 },
              { op: 'store', va: 1, value: 3 },
              { op: 'load', va: 1 },
            ],
          },
        ],
      },
    ],
  };

  it('unknown base, not the first page, a stack: -1 (EINVAL), nothing changes, the thread continues', () => {
    const e = run(instance(sc, { knobs: { generation } }));
    expect(e.violation).toBeNull();
    expect(localValues(e.trace ?? [], 0, 'munmapResult')).toEqual([-1]);
    expect(localValues(e.trace ?? [], 0, 'killed')).toEqual([]);
    expect(e.state.shared.ghost.spec.procs[0]?.snapshots).toEqual([{ '1:0': 3 }]);
    expect(e.state.shared.proc[0]?.copy[0]?.vsl.map((v) => v.base)).toEqual([0]);
  });
});

describe('traced random runs of mmap, munmap and exit', () => {
  const combos = gens.flatMap((generation) =>
    (['refFirst', 'refLast'] as const).flatMap((copyOrder) =>
      (['asRecalled', 'forksAware'] as const).map((releasePolicy) => ({
        generation,
        copyOrder,
        releasePolicy,
      })),
    ),
  );

  it.each(combos)('declare every write and end cleanly: %o', (knobs) => {
    const inst = instance(mixed, { knobs });
    for (let r = 0; r < 25; r++) {
      const e = execute(inst, randomScheduler(11), r, {
        maxSteps: 5000,
        checkInvariants: false,
        trace: true,
      });
      expect(e.violation).toBeNull();
    }
  });

  it('even with refLast, random runs meet the munmap/fault race (a stale or fresh page is loaded)', () => {
    // Either face of the race: the load returns a fresh zero page (the fault re-created the page the
    // munmap freed), or it succeeds through a stale copy entry after munmap returned.
    const inst = instance(mixed, { knobs: { copyOrder: 'refLast' }, invariants: userVisible });
    const c = runCampaign(inst, randomScheduler(5), 200, { maxSteps: 5000, checkInvariants: true });
    expect(c.violation?.name).toBe('refinement');
    expect(c.violation?.message).toMatch(
      /^P1 load from va 0 (returned 0, the abstract memory allows \[20\]|succeeded, but the abstract memory says it must fault)$/,
    );
  });
});
