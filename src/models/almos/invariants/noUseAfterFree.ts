/**
 * noUseAfterFree (invariant 8, every step): a free page is mapped by no GPT (and a file mapper page is
 * never free); an allocated page that is not a file mapper page is mapped by some GPT or held by a
 * handler (no leak). A free page mapped somewhere is reallocated to someone else while still readable
 * and writable through the stale entry; an unmapped, unheld page is lost memory.
 * "Held by a handler" (edge cases, decided so that only real leaks are reported):
 *  - in `ghost.inFlight` (allocated, not yet mapped) while some handler is in progress (scan.ts);
 *    at a quiescent state no handler can still map it, so inFlight no longer excuses it;
 *  - or named by a live kernel frame: a field whose name contains "ppn" (any case, at any depth of
 *    the frame's locals: `ppn`, `oldPpn`, `refPte.ppn`...) — a handler between "reset the PTE" and
 *    "free the page" (removeVseg) holds it that way, as the kernel holds `page_xp` in a local;
 *  - or named (same rule) by the arguments of a pending RPC (RPC_PMEM_RELEASE_PAGES).
 * Reads thread frames, which no step footprint declares: a leak made by a thread's own return is
 * seen at the next visible step, and at the latest at the next quiescent state.
 */
import type { Invariant, SystemState, Value } from '../../../engine/types.js';
import { ppnHome } from '../../../hw/ids.js';
import { isMapped, type Pte } from '../../../hw/pte.js';
import type { AlmosShared, PageDesc } from '../state.js';
import { pageReads, procReads } from './reads.js';
import { handlerInProgress, mapperPages, showMapping } from './scan.js';

/** Adds every number found under a field whose name contains "ppn", at any depth of `v`. */
function collectPpns(v: Value, out: Set<number>, named = false): void {
  if (typeof v === 'number') {
    if (named) out.add(v);
  } else if (Array.isArray(v)) {
    for (const x of v) collectPpns(x, out, named);
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) collectPpns(x, out, named || k.toLowerCase().includes('ppn'));
  }
}

/** Pages a handler holds (see the header). */
function heldPages(st: SystemState<AlmosShared>): Set<number> {
  const held = new Set<number>();
  if (handlerInProgress(st)) for (const p of st.shared.ghost.inFlight) held.add(p);
  for (const t of st.threads) for (const f of t.stack) collectPpns(f.locals, held);
  for (const rpc of Object.values(st.shared.rpcs)) if (!rpc.done) collectPpns(rpc.args, held);
  return held;
}

export const noUseAfterFree: Invariant<AlmosShared> = {
  name: 'noUseAfterFree',
  when: 'step',
  reads: [...procReads, ...pageReads, 'files', 'ghost.inFlight', 'rpc', 'rpcs', 'framesPerCluster'],
  readsThreads: true,
  check(st) {
    const s = st.shared;
    const files = mapperPages(s);
    const mapped = new Set<number>();
    const at = (ppn: number) => `ppn ${ppn} (cluster ${ppnHome(ppn, s.framesPerCluster)})`;
    // A loop without allocation per entry: this invariant runs after every step.
    for (let pid = 0; pid < s.proc.length; pid++) {
      const copies = (s.proc[pid] as AlmosShared['proc'][number]).copy;
      for (let cxy = 0; cxy < copies.length; cxy++) {
        const gpt = copies[cxy]?.gpt;
        if (gpt === undefined) continue;
        for (const k in gpt) {
          const pte = gpt[k] as Pte;
          if (!isMapped(pte)) continue;
          if ((s.page[pte.ppn] as PageDesc | undefined)?.free !== false) {
            return `${at(pte.ppn)} is free but mapped: ${showMapping({ pid, cxy, vpn: Number(k), pte })}`;
          }
          mapped.add(pte.ppn);
        }
      }
    }
    let held: Set<number> | null = null;
    let inFlight: Set<number> | null = null;
    for (const [ppn, page] of s.page.entries()) {
      if (files.has(ppn)) {
        if (page.free) return `${at(ppn)} of a file mapper is free`;
        continue;
      }
      if (page.free || mapped.has(ppn)) continue;
      // Cheap excuse first (a page just allocated by a handler in progress), frames only then.
      inFlight ??= handlerInProgress(st) ? new Set(s.ghost.inFlight) : new Set();
      if (inFlight.has(ppn)) continue;
      held ??= heldPages(st);
      if (!held.has(ppn)) return `${at(ppn)} is allocated but mapped by no GPT and held by no handler (leak)`;
    }
    return null;
  },
};
