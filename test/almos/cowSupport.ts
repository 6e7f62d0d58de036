/**
 * Test support for copy-on-write: builds COW situations directly (fork is not used) by mutating the
 * initial state through a model wrapper, and the checks the COW tests need, as local invariants (the
 * shared ALMOS invariants are written elsewhere; the tests pick their own list so verdicts are stable).
 */

import { privateValues, regionOf } from '../../spec/memory.js';
import { execute } from '../../src/engine/executor.js';
import { Instance } from '../../src/engine/instance.js';
import type { Scheduler } from '../../src/engine/scheduler.js';
import type { Invariant, SystemState, ThreadId } from '../../src/engine/types.js';
import { COHERENT_BITS, isMapped, PTE, type Pte } from '../../src/hw/pte.js';
import type { Knobs } from '../../src/models/almos/knobs.js';
import { almos, almosModel } from '../../src/models/almos/model.js';
import type { Scenario } from '../../src/models/almos/scenario.js';
import type { AlmosShared, Copy, PageDesc } from '../../src/models/almos/state.js';
import { isPublic } from '../../src/models/almos/state.js';
import { findVseg } from '../../src/models/almos/util.js';

type S = AlmosShared;
type Inv = Invariant<S>;
const copies = (s: S, pid: number) => (s.proc[pid]?.copy ?? []).filter((c): c is Copy => c !== null);
const entries = (c: Copy) => Object.entries(c.gpt).map(([v, pte]) => [Number(v), pte] as const);

/** Process `to` maps (in its reference GPT) the page process `from` maps at `vpn`; its own is freed. */
export function share(s: S, from: number, to: number, vpn: number): void {
  const src = s.proc[from] as { ref: number; copy: Array<Copy | null> };
  const dst = s.proc[to] as { ref: number; copy: Array<Copy | null> };
  const pte = (src.copy[src.ref] as Copy).gpt[vpn] as Pte;
  const mine = (dst.copy[dst.ref] as Copy).gpt[vpn] as Pte;
  s.page[mine.ppn] = { free: true, forks: 0, refcount: 0, lock: -1 };
  (dst.copy[dst.ref] as Copy).gpt[vpn] = { ...pte };
  (s.page[pte.ppn] as PageDesc).refcount++;
}

/**
 * Maps `vpn` with COW (not WRITABLE) in the copies `cxys` of `pid` (from the reference entry); a copy
 * gets the vseg in its VSL too, as the page fault that filled it would have attached it.
 */
export function makeCow(s: S, pid: number, vpn: number, cxys: readonly number[], forks: number): void {
  const p = s.proc[pid] as { ref: number; copy: Array<Copy | null> };
  const refCopy = p.copy[p.ref] as Copy;
  const ref = refCopy.gpt[vpn] as Pte;
  const attr = (ref.attr | PTE.COW) & ~PTE.WRITABLE;
  for (const cxy of cxys) {
    const copy = p.copy[cxy] as Copy;
    if (copy.gpt[vpn] === undefined) (s.page[ref.ppn] as PageDesc).refcount++;
    copy.gpt[vpn] = { attr, ppn: ref.ppn };
    const vs = findVseg(refCopy.vsl, vpn);
    if (vs && !findVseg(copy.vsl, vpn)) copy.vsl = [...copy.vsl, { ...vs }].sort((a, b) => a.base - b.base);
  }
  (s.page[ref.ppn] as PageDesc).forks = forks;
}

/** Maps a COW stack page with `content` at `vpn` in gpt(cxy) of every process of `pids`. */
export function cowStack(s: S, pids: readonly number[], cxy: number, vpn: number, content: number[]) {
  const ppn = s.page.findIndex((pg, i) => pg.free && Math.floor(i / s.framesPerCluster) === cxy);
  s.page[ppn] = { free: false, forks: pids.length - 1, refcount: pids.length, lock: -1 };
  s.mem[ppn] = [...content];
  const attr = PTE.MAPPED | PTE.SMALL | PTE.READABLE | PTE.USER | PTE.CACHABLE | PTE.COW;
  for (const pid of pids) {
    ((s.proc[pid] as { copy: Array<Copy | null> }).copy[cxy] as Copy).gpt[vpn] = { attr, ppn };
    const ap = s.ghost.spec.procs[pid];
    if (ap === undefined) continue;
    ap.snapshots = ap.snapshots.map((snap) => {
      const out = { ...snap };
      content.forEach((x, off) => {
        if (x === 0) delete out[`${vpn}:${off}`];
        else out[`${vpn}:${off}`] = x;
      });
      return out;
    });
  }
  return ppn;
}

export const forksNonNegative: Inv = {
  name: 'forksNonNegative',
  when: 'step',
  check: (st) => {
    const i = st.shared.page.findIndex((p) => p.forks < 0);
    return i < 0 ? null : `page ${i}: forks ${st.shared.page[i]?.forks}`;
  },
};

export const refcountExact: Inv = {
  name: 'refcountExact',
  when: 'step',
  check: ({ shared: s }) => {
    const n = s.page.map(() => 0);
    for (let pid = 0; pid < s.proc.length; pid++)
      for (const c of copies(s, pid))
        for (const [, pte] of entries(c)) if (isMapped(pte)) n[pte.ppn] = (n[pte.ppn] ?? 0) + 1;
    const i = s.page.findIndex((p, k) => p.refcount !== n[k]);
    return i < 0 ? null : `page ${i}: refcount ${s.page[i]?.refcount}, mapped by ${n[i]} entries`;
  },
};

export const cowExcludesWritable: Inv = {
  name: 'cowExcludesWritable',
  when: 'step',
  check: ({ shared: s }) => {
    for (let pid = 0; pid < s.proc.length; pid++)
      for (const c of copies(s, pid))
        for (const [v, pte] of entries(c))
          if ((pte.attr & PTE.COW) !== 0 && (pte.attr & PTE.WRITABLE) !== 0) return `P${pid} vpn ${v}`;
    return null;
  },
};

/** Q: forks == holders - 1 (holders: processes mapping the page); no page allocated and unmapped. */
export const forksAccounting: Inv = {
  name: 'forksAccounting',
  when: 'quiescent',
  check: ({ shared: s }) => {
    const holders = s.page.map(() => new Set<number>());
    for (let pid = 0; pid < s.proc.length; pid++)
      for (const c of copies(s, pid))
        for (const [, pte] of entries(c)) if (isMapped(pte)) holders[pte.ppn]?.add(pid);
    for (let i = 0; i < s.page.length; i++) {
      const h = (holders[i] as Set<number>).size;
      const pg = s.page[i] as PageDesc;
      if (!pg.free && h === 0 && s.ghost.held[i] === undefined) return `page ${i} leaked`;
      if (h > 0 && pg.forks !== h - 1) return `page ${i}: forks ${pg.forks}, ${h} holders`;
    }
    return null;
  },
};

/** Q: copies agree with the reference; no lock left taken; the frames hold what the spec says. */
export const quiescentCoherence: Inv = {
  name: 'quiescentCoherence',
  when: 'quiescent',
  check: ({ shared: s }) => {
    if (s.page.some((p) => p.lock !== -1)) return 'a busylock is held';
    for (let pid = 0; pid < s.proc.length; pid++) {
      const p = s.proc[pid] as { ref: number; copy: Array<Copy | null> };
      const ref = p.copy[p.ref] as Copy;
      for (const [cxy, c] of p.copy.entries()) {
        if (c === null) continue;
        if (c.gptLock.writer !== -1 || c.gptLock.readers.length > 0) return `P${pid} gpt(${cxy}) locked`;
        for (const [v, pte] of entries(c)) {
          if ((pte.attr & PTE.LOCKED) !== 0) return `P${pid} gpt(${cxy}) vpn ${v} LOCKED`;
          const vs = findVseg(ref.vsl, v);
          const r = ref.gpt[v];
          if (vs && isPublic(vs.type) && isMapped(pte)) {
            if (!isMapped(r) || r.ppn !== pte.ppn || ((r.attr ^ pte.attr) & COHERENT_BITS) !== 0)
              return `P${pid} gpt(${cxy}) vpn ${v} differs from the reference`;
          }
          const ap = s.ghost.spec.procs[pid];
          if (ap === undefined || !ap.alive || !isMapped(pte) || (regionOf(ap, v)?.file ?? -1) >= 0) continue;
          const frame = s.mem[pte.ppn] as number[];
          for (let off = 0; off < s.wordsPerPage; off++) {
            const allowed = privateValues(ap, v, off);
            if (!allowed.includes(frame[off] as number))
              return `P${pid} vpn ${v}:${off} holds ${frame[off]}, spec allows ${JSON.stringify(allowed)}`;
          }
        }
      }
    }
    return null;
  },
};

/** noWritableSharing: a page mapped by two processes is mapped COW, read-only, everywhere. */
export const noWritableSharing: Inv = {
  name: 'noWritableSharing',
  when: 'step',
  check: ({ shared: s }) => {
    const holders = s.page.map(() => new Set<number>());
    for (let pid = 0; pid < s.proc.length; pid++)
      for (const c of copies(s, pid))
        for (const [, pte] of entries(c)) if (isMapped(pte)) holders[pte.ppn]?.add(pid);
    for (let pid = 0; pid < s.proc.length; pid++)
      for (const c of copies(s, pid))
        for (const [v, pte] of entries(c))
          if (isMapped(pte) && (holders[pte.ppn]?.size ?? 0) > 1 && (pte.attr & PTE.WRITABLE) !== 0)
            return `P${pid} vpn ${v} maps shared page ${pte.ppn} writable`;
    return null;
  },
};

/** lockDiscipline, the busylock half: a thread holding a page busylock never blocks. */
export const noBlockingUnderBusylock: Inv = {
  name: 'noBlockingUnderBusylock',
  when: 'step',
  check: (st) => {
    for (const [ppn, pg] of st.shared.page.entries()) {
      const t = pg.lock >= 0 ? st.threads[pg.lock] : undefined;
      if (t?.blockedOn) return `T${t.id} blocks on '${t.blockedOn}' holding page.${ppn}.lock`;
    }
    return null;
  },
};

export const cowInvariants = [forksNonNegative, refcountExact, cowExcludesWritable, forksAccounting];
export const allCowInvariants = [...cowInvariants, quiescentCoherence];

/** An instance of the ALMOS model on `sc` whose initial state is edited by `mutate`. */
export function cowInstance(
  sc: Scenario,
  mutate: (s: S) => void,
  knobs: Partial<Knobs> = {},
  invariants: readonly Inv[] = allCowInvariants,
): Instance<S> {
  const m = almos();
  const model = {
    ...m,
    init: (c: Parameters<typeof m.init>[0]): SystemState<S> => {
      const st = m.init(c);
      mutate(st.shared);
      return st;
    },
    invariants: (c: Parameters<typeof m.init>[0]) => [
      ...m.invariants(c).filter((i) => i.name === 'noKernelPanic' || i.name === 'refinement'),
      ...invariants,
    ],
  };
  return new Instance(model, { ...almosModel.defaultConfig, scenario: JSON.stringify(sc), ...knobs });
}

/** Always the lowest enabled thread; every data choice `data` (1 = "allocation fails"). */
export const firstThread = (data = 0): Scheduler => ({
  name: 'first',
  begin() {},
  pickThread: (enabled: readonly ThreadId[]) => enabled[0] as ThreadId,
  pickData: () => data,
  end() {},
});

export const run = (inst: Instance<S>, sched: Scheduler) =>
  execute(inst, sched, 0, { maxSteps: 5000, checkInvariants: true, trace: true });
