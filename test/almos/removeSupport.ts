/**
 * Test support for vseg removal and creation (munmap, exit, mmap): instances with a chosen invariant
 * list (so verdicts do not move when the shared ALMOS invariants change) and an optional edit of the
 * initial state, the two checks the munmap races are judged by, a scheduler that always runs the
 * lowest enabled thread (a sequential order), readers for traces and final states, and `mixed`, a
 * two-process scenario of mmap/munmap/exit for random runs.
 */
import { type Execution, execute } from '../../src/engine/executor.js';
import { Instance } from '../../src/engine/instance.js';
import type { Scheduler } from '../../src/engine/scheduler.js';
import { defaultSearchOptions, type SearchResult, search } from '../../src/engine/search/index.js';
import type { TraceEntry } from '../../src/engine/trace.js';
import type { Invariant, SystemState, ThreadId } from '../../src/engine/types.js';
import { isMapped } from '../../src/hw/pte.js';
import { noKernelPanic } from '../../src/models/almos/invariants/noKernelPanic.js';
import { refinement } from '../../src/models/almos/invariants/refinement.js';
import type { Knobs } from '../../src/models/almos/knobs.js';
import { almos } from '../../src/models/almos/model.js';
import type { Scenario } from '../../src/models/almos/scenario.js';
import type { AlmosShared, Copy } from '../../src/models/almos/state.js';
import { findVseg } from '../../src/models/almos/util.js';

type S = AlmosShared;
type Inv = Invariant<S>;

function* entries(s: S): Generator<{ pid: number; cxy: number; vpn: number; ppn: number; copy: Copy }> {
  for (const [pid, p] of s.proc.entries())
    for (const [cxy, copy] of p.copy.entries())
      if (copy !== null)
        for (const [v, pte] of Object.entries(copy.gpt))
          if (isMapped(pte)) yield { pid, cxy, vpn: Number(v), ppn: pte.ppn, copy };
}

/** A free page is mapped by no GPT copy (a stale entry reads and writes a page someone may reuse). */
export const freedPageMapped: Inv = {
  name: 'freedPageMapped',
  when: 'step',
  check: ({ shared: s }) => {
    for (const e of entries(s))
      if (s.page[e.ppn]?.free) return `P${e.pid} c${e.cxy} vpn ${e.vpn} maps free ppn ${e.ppn}`;
    return null;
  },
};

/** Every mapped entry of a copy lies in a vseg of that copy's VSL (else nothing will ever reset it). */
export const strayMapping: Inv = {
  name: 'strayMapping',
  when: 'step',
  check: ({ shared: s }) => {
    for (const e of entries(s))
      if (findVseg(e.copy.vsl, e.vpn) === undefined)
        return `P${e.pid} c${e.cxy} vpn ${e.vpn} -> ppn ${e.ppn} lies outside the VSL`;
    return null;
  },
};

export const userVisible: readonly Inv[] = [refinement, noKernelPanic];

export interface Setup {
  knobs?: Partial<Knobs>;
  /** Invariants checked instead of the model's own (default: the model's). */
  invariants?: readonly Inv[];
  /** Edits the initial state (e.g. pages shared by a fork, built by hand). */
  mutate?: (s: S) => void;
}

export function instance(sc: Scenario, setup: Setup = {}): Instance<S> {
  const m = almos();
  const model = {
    ...m,
    init: (c: Parameters<typeof m.init>[0]) => {
      const st = m.init(c);
      setup.mutate?.(st.shared);
      return st;
    },
    invariants: setup.invariants === undefined ? m.invariants : () => setup.invariants as readonly Inv[],
  };
  return new Instance(model, { ...m.defaultConfig, scenario: JSON.stringify(sc), ...setup.knobs });
}

export const bfs = (inst: Instance<S>): SearchResult =>
  search(inst, { ...defaultSearchOptions, strategy: 'bfs', maxStates: 500_000 });

/** Runs the lowest enabled thread first: user threads in order, each to its end or its next wait. */
export const lowestFirst: Scheduler = {
  name: 'lowestFirst',
  begin() {},
  pickThread: (enabled) => enabled[0] as ThreadId,
  pickData: () => 0,
  end() {},
};

export function run(inst: Instance<S>, scheduler: Scheduler = lowestFirst): Execution<S> {
  return execute(inst, scheduler, 0, { maxSteps: 5000, checkInvariants: true, trace: true });
}

/** Values a thread's userMain local took during the run (e.g. `munmapResult`), in order. */
export function localValues(trace: readonly TraceEntry[], tid: number, local: string): unknown[] {
  const path = `@t${tid}[0].${local}`;
  return trace.flatMap((e) => e.changes.filter((c) => c.path === path).map((c) => c.to));
}

/** The first PPN entry `gpt.<vpn>` of copy `cxy` of `pid` mapped during the run, or -1. */
export function firstMapped(trace: readonly TraceEntry[], pid: number, cxy: number, vpn: number): number {
  const path = `proc.${pid}.copy.${cxy}.gpt.${vpn}`;
  for (const e of trace) {
    for (const c of e.changes) {
      const to = c.to as { ppn?: number } | number | undefined;
      if (c.path === path && typeof to === 'object' && (to.ppn ?? -1) >= 0) return to.ppn as number;
      if (c.path === `${path}.ppn` && typeof to === 'number' && to >= 0) return to;
    }
  }
  return -1;
}

/** The clusters of the threads that freed `ppn` (the `ppmFreePage.free` steps). */
export function freedBy(trace: readonly TraceEntry[], st: SystemState<S>, ppn: number): number[] {
  return trace
    .filter((e) => e.label === 'ppmFreePage.free' && e.changes.some((c) => c.path === `page.${ppn}.free`))
    .map((e) => st.shared.thread[e.tid]?.cxy as number);
}

/** Pages that are allocated and are not file mapper pages. */
export const allocatedAnonymous = (s: S): number[] => {
  const mappers = new Set(s.files.flatMap((f) => f.pages));
  return s.page.flatMap((p, ppn) => (!p.free && !mappers.has(ppn) ? [ppn] : []));
};

/** Two processes, mmap/munmap/exit mixed with loads and stores in both clusters. */
export const mixed: Scenario = {
  clusters: 2,
  coresPerCluster: 2,
  framesPerCluster: 8,
  wordsPerPage: 1,
  vpnCount: 16,
  files: [{ cxy: 1, pages: [[70], [71]] }],
  processes: [
    {
      ref: 0,
      vsegs: [
        { type: 'DATA', base: 0, size: 2 },
        { type: 'FILE', base: 8, size: 1, file: 0 },
      ],
      pages: [
        { vpn: 0, content: [10] },
        { vpn: 1, content: [11] },
      ],
      threads: [
        {
          cxy: 0,
          stack: { base: 14, size: 1 },
          ops: [
            { op: 'load', va: 0 },
            { op: 'store', va: 14, value: 1 },
            { op: 'mmap', type: 'ANON', base: 4, size: 2, cxy: 0, file: -1 },
            { op: 'store', va: 4, value: 4 },
            { op: 'munmap', base: 0 },
            { op: 'store', va: 5, value: 5 },
            { op: 'exit' },
          ],
        },
        {
          cxy: 1,
          stack: { base: 15, size: 1 },
          ops: [
            { op: 'load', va: 1 },
            { op: 'mmap', type: 'REMOTE', base: 10, size: 1, cxy: 0, file: -1 },
            { op: 'store', va: 10, value: 3 },
            { op: 'load', va: 8 },
            { op: 'munmap', base: 4 },
            { op: 'store', va: 15, value: 9 },
          ],
        },
      ],
    },
    {
      ref: 1,
      vsegs: [{ type: 'DATA', base: 0, size: 1 }],
      pages: [{ vpn: 0, content: [20] }],
      threads: [
        {
          cxy: 1,
          ops: [
            { op: 'mmap', type: 'FILE', base: 6, size: 1, cxy: -1, file: 0 },
            { op: 'store', va: 6, value: 60 },
            { op: 'munmap', base: 0 },
            { op: 'exit' },
          ],
        },
        {
          cxy: 0,
          ops: [
            { op: 'load', va: 0 },
            { op: 'mmap', type: 'ANON', base: 2, size: 1, cxy: 0, file: -1 },
            { op: 'store', va: 2, value: 22 },
            { op: 'load', va: 6 },
          ],
        },
      ],
    },
  ],
};
