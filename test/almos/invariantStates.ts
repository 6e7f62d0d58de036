/**
 * Small hand-built ALMOS states for the unit tests of the invariant checks (invariantChecks.test.ts):
 * one fixed scenario, then direct edits of GPT entries, VSLs, page descriptors and thread frames.
 *
 * Scenario: 2 clusters x 4 frames (cluster 0 = ppn 0..3, cluster 1 = ppn 4..7). File 0 lives in
 * cluster 1 (ppn 4), file 1 in cluster 0 (ppn 0). P0 (reference c0) has DATA [0,2), ANON [2,3) in
 * c1, REMOTE [3,4) in c0, FILE [4,5) of file 0, CODE [5,6) of file 1; its threads T0@c0 (stack
 * [8,9)) and T1@c1 (stack [9,10)). P1 (reference c1) has DATA [0,2) and T2@c1 (stack [10,11)).
 * Threads 3 and 4 are the RPC servers of clusters 0 and 1. Nothing is mapped initially.
 */
import type { Frame, Locals, SystemState } from '../../src/engine/types.js';
import { PTE } from '../../src/hw/pte.js';
import { newCopy } from '../../src/models/almos/init.js';
import { almosModel } from '../../src/models/almos/model.js';
import type { AlmosShared, Copy, Vseg } from '../../src/models/almos/state.js';

export type St = SystemState<AlmosShared>;

const scenario = {
  clusters: 2,
  coresPerCluster: 2,
  framesPerCluster: 4,
  wordsPerPage: 1,
  vpnCount: 16,
  files: [
    { cxy: 1, pages: [[70]] },
    { cxy: 0, pages: [[80]] },
  ],
  processes: [
    {
      ref: 0,
      vsegs: [
        { type: 'DATA', base: 0, size: 2 },
        { type: 'ANON', base: 2, size: 1, cxy: 1 },
        { type: 'REMOTE', base: 3, size: 1, cxy: 0 },
        { type: 'FILE', base: 4, size: 1, file: 0 },
        { type: 'CODE', base: 5, size: 1, file: 1 },
      ],
      threads: [
        { cxy: 0, stack: { base: 8, size: 1 }, ops: [] },
        { cxy: 1, stack: { base: 9, size: 1 }, ops: [] },
      ],
    },
    {
      ref: 1,
      vsegs: [{ type: 'DATA', base: 0, size: 2 }],
      threads: [{ cxy: 1, stack: { base: 10, size: 1 }, ops: [] }],
    },
  ],
};

export const RW = PTE.MAPPED | PTE.SMALL | PTE.READABLE | PTE.WRITABLE | PTE.USER | PTE.CACHABLE;
export const COW_RO = (RW & ~PTE.WRITABLE) | PTE.COW;

export function fresh(): St {
  return almosModel.init({ ...almosModel.defaultConfig, scenario: JSON.stringify(scenario) });
}

export function copy(st: St, pid: number, cxy: number): Copy {
  const p = st.shared.proc[pid];
  if (p === undefined) throw new Error(`no process ${pid}`);
  p.copy[cxy] ??= newCopy(st.shared.knobs);
  return p.copy[cxy] as Copy;
}

/** Marks `ppn` allocated (refcount 1, forks 0, unlocked). */
export function take(st: St, ppn: number, forks = 0): void {
  st.shared.page[ppn] = { free: false, forks, refcount: 1, lock: -1 };
}

/** Sets a PTE in the copy of `pid` in `cxy` (the page itself is not touched). */
export function map(st: St, pid: number, cxy: number, vpn: number, ppn: number, attr = RW): void {
  copy(st, pid, cxy).gpt[vpn] = { attr, ppn };
}

/** Attaches to the copy in `cxy` the reference vseg of `pid` that contains `vpn` (what getVseg does). */
export function attach(st: St, pid: number, cxy: number, vpn: number): Vseg {
  const p = st.shared.proc[pid];
  const v = p?.copy[p.ref]?.vsl.find((x) => vpn >= x.base && vpn < x.base + x.size);
  if (v === undefined) throw new Error(`P${pid} has no reference vseg at ${vpn}`);
  copy(st, pid, cxy).vsl.push({ ...v });
  return v;
}

/** Pushes a frame on thread `tid` (a procedure in progress). */
export function push(st: St, tid: number, proc: string, pc: string, locals: Locals = {}): Frame {
  const t = st.threads[tid];
  if (t === undefined) throw new Error(`no thread ${tid}`);
  const f: Frame = { proc, pc, locals, into: null };
  t.stack.push(f);
  return f;
}

export function blockOn(st: St, tid: number, what: string): void {
  (st.threads[tid] as { blockedOn: string | null }).blockedOn = what;
}
