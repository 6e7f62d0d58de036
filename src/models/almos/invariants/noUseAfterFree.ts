/**
 * noUseAfterFree (invariant 8, every step): a free page is mapped by no GPT and held by no thread, and a
 * file mapper page is never free; an allocated page that is not a file mapper page is mapped by some
 * GPT or held by a thread inside a kernel operation (no leak). A free page still mapped or held is
 * handed to someone else while the stale entry (or the holder) still reads and writes it; an unmapped,
 * unheld page is lost memory.
 * "Held" is the ownership record `ghost.held` (ghost.ts), typed and written by the steps themselves:
 * a page is held from its allocation (for the thread the allocation works for: the RPC client when the
 * server allocates), from a PTE reset in removeVseg, or from the corrected handleCow's update that stops
 * mapping the old page; until a PTE maps it, the holder keeps it elsewhere, or frees it. A holder must
 * be inside a kernel operation (scan.ts `inKernel`): a thread that returns from its system call or
 * exception handler (or an RPC server from its request), or finishes, while still holding a page leaks
 * it, and this is reported at that very step. There is no other excuse.
 * Reads thread frames (the holders' liveness), which no step footprint declares: checked after every
 * step.
 */
import type { Invariant, SystemState, Thread } from '../../../engine/types.js';
import { ppnHome } from '../../../hw/ids.js';
import { PTE, type Pte } from '../../../hw/pte.js';
import type { AlmosShared, HeldPage, PageDesc } from '../state.js';
import { pageReads, procReads } from './reads.js';
import { inKernel, showMapping } from './scan.js';

/** Marks of a page in the per-check scan; the MAPPED bit of a PTE read once (hw/pte.ts `isMapped`). */
const MAPPED = 1;
const FILE = 2;
const MAPPED_BIT = PTE.MAPPED;

const who = (st: SystemState<AlmosShared>, h: HeldPage) =>
  `T${h.tid} (${(st.threads[h.tid] as Thread | undefined)?.name ?? '?'})`;

export const noUseAfterFree: Invariant<AlmosShared> = {
  name: 'noUseAfterFree',
  when: 'step',
  reads: [...procReads, ...pageReads, 'files', 'ghost.held', 'framesPerCluster'],
  readsThreads: true,
  check(st) {
    const s = st.shared;
    const at = (ppn: number) => `ppn ${ppn} (cluster ${ppnHome(ppn, s.framesPerCluster)})`;
    for (const key in s.ghost.held) {
      const ppn = Number(key);
      for (const h of s.ghost.held[key] as HeldPage[]) {
        if ((s.page[ppn] as PageDesc | undefined)?.free !== false) {
          return `${at(ppn)} is free but held (${h.why}) by ${who(st, h)}`;
        }
        const t = st.threads[h.tid];
        if (t === undefined || !inKernel(t)) {
          return `${at(ppn)} is held (${h.why}) by ${who(st, h)}, which left the kernel without mapping, keeping or freeing it (leak)`;
        }
      }
    }
    // Typed-array marks, no Set or iterator: this invariant runs after every step.
    const marks = new Uint8Array(s.page.length);
    for (const f of s.files) for (const ppn of f.pages) marks[ppn] = FILE;
    for (let pid = 0; pid < s.proc.length; pid++) {
      const copies = (s.proc[pid] as AlmosShared['proc'][number]).copy;
      for (let cxy = 0; cxy < copies.length; cxy++) {
        const gpt = copies[cxy]?.gpt;
        if (gpt === undefined) continue;
        for (const k in gpt) {
          const pte = gpt[k] as Pte;
          if ((pte.attr & MAPPED_BIT) === 0) continue;
          if ((s.page[pte.ppn] as PageDesc | undefined)?.free !== false) {
            return `${at(pte.ppn)} is free but mapped: ${showMapping({ pid, cxy, vpn: Number(k), pte })}`;
          }
          marks[pte.ppn] = (marks[pte.ppn] as number) | MAPPED;
        }
      }
    }
    for (let ppn = 0; ppn < s.page.length; ppn++) {
      const free = (s.page[ppn] as PageDesc).free;
      const mark = marks[ppn] as number;
      if ((mark & FILE) !== 0) {
        if (free) return `${at(ppn)} of a file mapper is free`;
        continue;
      }
      if (free || mark !== 0 || s.ghost.held[ppn] !== undefined) continue;
      return `${at(ppn)} is allocated but mapped by no GPT and held by no thread (leak)`;
    }
    return null;
  },
};
