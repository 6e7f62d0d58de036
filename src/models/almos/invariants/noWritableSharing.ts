/**
 * noWritableSharing (invariant 6, every step): a page mapped by two or more processes is mapped only
 * with COW = 1 and WRITABLE = 0, in every GPT including the copies. Otherwise a store by one process
 * is seen by the other: the fork-snapshot semantics of private memory is lost.
 * Edge cases: a process holds a page when any of its GPT copies maps it (not only its authoritative
 * GPT): a stale copy still translates loads, so a page another process may write must not be left
 * mapped there. File mapper pages are excluded (FILE vsegs are shared mappings).
 * The fork window: fork copies the parent's PTEs into the child with COW (forkCopy) and only later
 * sets COW in the parent (setCow), while the parent's other threads keep running; the abstract memory
 * allows it (spec/memory.ts: the child may see any value the parent stores before fork returns). So
 * while the fork window of parent P with child C is open (`ghost.spec.procs[P].forking` holds C), P's
 * own mappings of a page shared only by P and such children (concurrent forks: several) are exempt.
 * Every other mapping, the children's included, must be COW read-only after every step.
 */
import type { Invariant } from '../../../engine/types.js';
import { PTE } from '../../../hw/pte.js';
import type { AlmosShared } from '../state.js';
import { procReads } from './reads.js';
import { type Mapping, mapperPages, mappings, showMapping } from './scan.js';

export const noWritableSharing: Invariant<AlmosShared> = {
  name: 'noWritableSharing',
  when: 'step',
  reads: [...procReads, 'files', 'ghost.spec.procs'],
  check(st) {
    const s = st.shared;
    const files = mapperPages(s);
    const byPage = new Map<number, Mapping[]>();
    for (const m of mappings(s)) {
      if (files.has(m.pte.ppn)) continue;
      const list = byPage.get(m.pte.ppn) ?? [];
      list.push(m);
      byPage.set(m.pte.ppn, list);
    }
    for (const [ppn, list] of byPage) {
      const pids = [...new Set(list.map((m) => m.pid))];
      if (pids.length < 2) continue;
      const forking = (pid: number) => s.ghost.spec.procs[pid]?.forking ?? [];
      const exempt = (m: Mapping) => pids.every((p) => p === m.pid || forking(m.pid).includes(p));
      const bad = list.find(
        (m) => ((m.pte.attr & PTE.COW) === 0 || (m.pte.attr & PTE.WRITABLE) !== 0) && !exempt(m),
      );
      if (bad !== undefined) {
        return `ppn ${ppn} is shared by ${pids.map((p) => `P${p}`).join(', ')} but ${showMapping(bad)} is not COW read-only`;
      }
    }
    return null;
  },
};
