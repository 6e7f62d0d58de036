/**
 * refcountMatchesPtes (every step): a page's `refcount` equals the number of mapped PTEs, over every
 * GPT copy of every process, that map it — plus one for a file mapper page (the mapper's own reference)
 * — corrected by `ghost.refcountPending` for a handler between the two steps of one mapping change
 * (ghost.ts: removeVseg resets a PTE, then decrements refcount; forkCopyRange writes a PTE, then
 * increments it). Every other PTE change updates refcount in the same step (setPte, replacePte), so the
 * equality holds at every step. A refcount too high keeps a page nobody maps; too low lets the kernel
 * believe a page unused while a PTE still translates to it (ppm frees by refcount in ALMOS-MKH), and
 * an entry overwritten without its count (a set_pte of a value read before a concurrent update) shows
 * here at the step that writes it.
 */
import type { Invariant } from '../../../engine/types.js';
import { ppnHome } from '../../../hw/ids.js';
import { PTE, type Pte } from '../../../hw/pte.js';
import type { AlmosShared, PageDesc } from '../state.js';

/** The MAPPED bit, read once (hw/pte.ts `isMapped` inlined in the per-entry loop). */
const MAPPED_BIT = PTE.MAPPED;

export const refcountMatchesPtes: Invariant<AlmosShared> = {
  name: 'refcountMatchesPtes',
  when: 'step',
  reads: ['proc.*.copy.*.gpt', 'page.*.refcount', 'files', 'ghost.refcountPending', 'framesPerCluster'],
  check(st) {
    const s = st.shared;
    const ptes = new Int32Array(s.page.length);
    for (let pid = 0; pid < s.proc.length; pid++) {
      const copies = (s.proc[pid] as AlmosShared['proc'][number]).copy;
      for (let cxy = 0; cxy < copies.length; cxy++) {
        const gpt = copies[cxy]?.gpt;
        if (gpt === undefined) continue;
        for (const k in gpt) {
          const pte = gpt[k] as Pte;
          if ((pte.attr & MAPPED_BIT) !== 0 && pte.ppn >= 0 && pte.ppn < ptes.length)
            ptes[pte.ppn] = (ptes[pte.ppn] as number) + 1;
        }
      }
    }
    for (const f of s.files) for (const ppn of f.pages) ptes[ppn] = (ptes[ppn] as number) + 1;
    for (let ppn = 0; ppn < s.page.length; ppn++) {
      const page = s.page[ppn] as PageDesc;
      const pending = s.ghost.refcountPending[ppn] ?? 0;
      const expected = (ptes[ppn] as number) + pending;
      if (page.refcount !== expected) {
        const n = ptes[ppn] as number;
        const why = pending === 0 ? '' : `, ${pending > 0 ? '+' : ''}${pending} pending in a handler`;
        return `ppn ${ppn} (cluster ${ppnHome(ppn, s.framesPerCluster)}): refcount = ${page.refcount}, but ${n} reference(s) (PTEs and mapper)${why}`;
      }
    }
    return null;
  },
};
