/**
 * mmap and exit (shared/spec/almos-mkh.md, vseg types and "removeVseg"): ANON/REMOTE placement,
 * store/load/munmap of a new vseg, RPC_VMM_CREATE_VSEG in G1 only, bad mmap arguments, a FILE vseg
 * shared by two processes, and exit of a multi-threaded process (the BLOCK acknowledgement matters).
 */
import { describe, expect, it } from 'vitest';
import { Instance } from '../../src/engine/instance.js';
import { ppnHome } from '../../src/hw/ids.js';
import type { Scenario } from '../../src/models/almos/scenario.js';
import { withStep } from '../models/support.js';
import { allocatedAnonymous, bfs, firstMapped, instance, localValues, run } from './removeSupport.js';

const gens = ['G1', 'G2'] as const;
const tiny = { clusters: 2, coresPerCluster: 1, framesPerCluster: 3, wordsPerPage: 1, vpnCount: 8 };

/** A thread in c1 (reference c0) maps ANON at 2 and REMOTE (in c0) at 4, uses and unmaps them. */
const anon: Scenario = {
  ...tiny,
  processes: [
    {
      ref: 0,
      vsegs: [],
      threads: [
        {
          cxy: 1,
          ops: [
            { op: 'mmap', type: 'ANON', base: 2, size: 1, cxy: 0, file: -1 },
            { op: 'mmap', type: 'REMOTE', base: 4, size: 1, cxy: 0, file: -1 },
            { op: 'store', va: 2, value: 7 },
            { op: 'store', va: 4, value: 8 },
            { op: 'load', va: 2 },
            { op: 'munmap', base: 2 },
            { op: 'munmap', base: 4 },
            { op: 'load', va: 4 },
          ],
        },
      ],
    },
  ],
};

describe.each(gens)('mmap ANON/REMOTE, store, load, munmap (%s)', (generation) => {
  it('places ANON in the caller cluster and REMOTE in the named one; munmap frees both', () => {
    const e = run(instance(anon, { knobs: { generation } }));
    expect(e.violation).toBeNull();
    const trace = e.trace ?? [];
    const fpc = e.state.shared.framesPerCluster;
    expect(ppnHome(firstMapped(trace, 0, 0, 2), fpc)).toBe(1);
    expect(ppnHome(firstMapped(trace, 0, 0, 4), fpc)).toBe(0);
    expect(localValues(trace, 0, 'mmapResult')).toEqual([2, 4]);
    expect(localValues(trace, 0, 'munmapResult')).toEqual([0]); // 0 twice: one change
    expect(localValues(trace, 0, 'killed')).toEqual([true]);
    expect(trace.some((t) => t.label === 'rpcVmmCreateVseg.create')).toBe(generation === 'G1');
    expect(allocatedAnonymous(e.state.shared)).toEqual([]);
    expect(e.state.shared.ghost.spec.procs[0]?.regions).toEqual([]);
  });

  it('passes every invariant in every interleaving', () => {
    expect(bfs(instance(anon, { knobs: { generation } })).verdict).toBe('pass');
  });
});

describe.each(gens)('mmap bad inputs (%s)', (generation) => {
  const sc: Scenario = {
    clusters: 2,
    coresPerCluster: 1,
    framesPerCluster: 3,
    wordsPerPage: 1,
    vpnCount: 8,
    files: [{ cxy: 1, pages: [[40]] }],
    processes: [
      {
        ref: 0,
        vsegs: [{ type: 'DATA', base: 0, size: 2 }],
        threads: [
          {
            cxy: 0,
            ops: [
              { op: 'mmap', type: 'ANON', base: 1, size: 2, cxy: 0, file: -1 },
              { op: 'mmap', type: 'ANON', base: 5, size: 2, cxy: 0, file: -1 },
              { op: 'mmap', type: 'FILE', base: 3, size: 2, cxy: -1, file: 0 },
              { op: 'mmap', type: 'FILE', base: 3, size: 1, cxy: -1, file: 0 },
              { op: 'load', va: 3 },
            ],
          },
          { cxy: 1, stack: { base: 6, size: 1 }, ops: [] },
        ],
      },
    ],
  };

  it('overlap, a stack of another cluster, a FILE larger than its file: -1 and no change', () => {
    const e = run(instance(sc, { knobs: { generation } }));
    expect(e.violation).toBeNull();
    expect(localValues(e.trace ?? [], 0, 'mmapResult')).toEqual([-1, 3]);
    expect(e.state.shared.proc[0]?.copy[0]?.vsl.map((v) => [v.type, v.base, v.size])).toEqual([
      ['DATA', 0, 2],
      ['FILE', 3, 1],
    ]);
    expect(localValues(e.trace ?? [], 0, 'killed')).toEqual([]);
  });
});

/** P0 maps page 0 of file 0 at 4 and stores 41; P1 maps it at 5, loads it, unmaps it. */
const fileShare: Scenario = {
  ...tiny,
  coresPerCluster: 2,
  files: [{ cxy: 1, pages: [[40]] }],
  processes: [
    {
      ref: 0,
      vsegs: [],
      threads: [
        {
          cxy: 0,
          ops: [
            { op: 'mmap', type: 'FILE', base: 4, size: 1, cxy: -1, file: 0 },
            { op: 'store', va: 4, value: 41 },
          ],
        },
      ],
    },
    {
      ref: 1,
      vsegs: [],
      threads: [
        {
          cxy: 1,
          ops: [
            { op: 'mmap', type: 'FILE', base: 5, size: 1, cxy: -1, file: 0 },
            { op: 'load', va: 5 },
            { op: 'munmap', base: 5 },
          ],
        },
      ],
    },
  ],
};

describe.each(gens)('FILE mmap shared by two processes (%s)', (generation) => {
  it("one process's store is seen by the other's load; munmap keeps the mapper page", () => {
    const e = run(instance(fileShare, { knobs: { generation } }));
    expect(e.violation).toBeNull(); // refinement: the load was allowed only 41
    const s = e.state.shared;
    const page = s.files[0]?.pages[0] as number;
    expect(firstMapped(e.trace ?? [], 1, 1, 5)).toBe(page);
    expect(s.mem[page]).toEqual([41]);
    expect(s.ghost.spec.files[0]).toEqual([[[41]]]);
    expect(s.page[page]?.free).toBe(false);
    expect(s.proc[1]?.copy[1]?.gpt).toEqual({});
  });

  it('passes every invariant in every interleaving', () => {
    expect(bfs(instance(fileShare, { knobs: { generation } })).verdict).toBe('pass');
  });
});

/** T0 (c0) exits while T1 (c1) works; stacks in both clusters, a CODE vseg replicated in both. */
const exitTwo: Scenario = {
  ...tiny,
  framesPerCluster: 4,
  files: [{ cxy: 1, pages: [[70]] }],
  processes: [
    {
      ref: 0,
      vsegs: [
        { type: 'DATA', base: 0, size: 2 },
        { type: 'CODE', base: 3, size: 1, file: 0 },
      ],
      pages: [{ vpn: 0, content: [10] }],
      threads: [
        {
          cxy: 0,
          stack: { base: 6, size: 1 },
          ops: [{ op: 'load', va: 3 }, { op: 'exit' }, { op: 'load', va: 0 }],
        },
        {
          cxy: 1,
          stack: { base: 7, size: 1 },
          ops: [
            { op: 'store', va: 7, value: 2 },
            { op: 'load', va: 3 },
            { op: 'store', va: 1, value: 3 },
          ],
        },
      ],
    },
  ],
};

describe.each(gens)('exit of a process with two threads (%s)', (generation) => {
  it('destroys every copy and frees every page; the caller stops', () => {
    const e = run(instance(exitTwo, { knobs: { generation } }));
    expect(e.violation).toBeNull();
    const s = e.state.shared;
    expect(s.proc[0]?.alive).toBe(false);
    expect(s.ghost.spec.procs[0]?.alive).toBe(false);
    for (const c of s.proc[0]?.copy ?? []) expect([c?.vsl ?? [], c?.gpt ?? {}]).toEqual([[], {}]);
    expect(allocatedAnonymous(s)).toEqual([]);
    expect(s.page[s.files[0]?.pages[0] as number]?.free).toBe(false);
    expect(e.state.threads.every((t) => t.stack.length === 0 || t.daemon === true)).toBe(true);
  });

  it('passes every invariant in every interleaving', () => {
    expect(bfs(instance(exitTwo, { knobs: { generation } })).verdict).toBe('pass');
  });

  it('without waiting for the other thread, its fault maps a page after its copy was destroyed', () => {
    const inst = instance(exitTwo, { knobs: { generation } });
    const mutant = withStep(inst.model, 'sysExit', 'waitAcks', { guard: undefined });
    expect(bfs(new Instance(mutant, inst.config)).violation?.name).toBe('mappingsInsideVsegs');
  });

  it('two threads exiting at once: one destroys, the other stops', () => {
    const both: Scenario = {
      ...exitTwo,
      processes: [
        {
          ...(exitTwo.processes[0] as Scenario['processes'][number]),
          threads: [
            { cxy: 0, ops: [{ op: 'load', va: 0 }, { op: 'exit' }] },
            { cxy: 1, ops: [{ op: 'store', va: 1, value: 1 }, { op: 'exit' }, { op: 'load', va: 0 }] },
          ],
        },
      ],
    };
    expect(bfs(instance(both, { knobs: { generation } })).verdict).toBe('pass');
  });
});
