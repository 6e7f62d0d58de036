/**
 * noWritableSharing (invariant 6, every step): a page mapped by two or more processes is mapped only
 * with COW = 1 and WRITABLE = 0, in every GPT including the copies. Otherwise a store by one process
 * is seen by the other: the fork-snapshot semantics of private memory is lost.
 * Edge cases: a process holds a page when any of its GPT copies maps it (not only its authoritative
 * GPT): a stale copy still translates loads, so a page another process may write must not be left
 * mapped there. File mapper pages are excluded (FILE vsegs are shared mappings). It holds in every
 * state, the fork window included: while a fork is in progress the child's entries already share the
 * parent's pages, so the parent's entries must be COW read-only before the child's are written
 * (docs/findings.md F4).
 */
import type { Invariant } from '../../../engine/types.js';
import { PTE } from '../../../hw/pte.js';
import type { AlmosShared } from '../state.js';
import { procReads } from './reads.js';
import { type Mapping, mapperPages, mappings, showMapping } from './scan.js';

export const noWritableSharing: Invariant<AlmosShared> = {
  name: 'noWritableSharing',
  when: 'step',
  reads: [...procReads, 'files'],
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
      const bad = list.find((m) => (m.pte.attr & PTE.COW) === 0 || (m.pte.attr & PTE.WRITABLE) !== 0);
      if (bad !== undefined) {
        return `ppn ${ppn} is shared by ${pids.map((p) => `P${p}`).join(', ')} but ${showMapping(bad)} is not COW read-only`;
      }
    }
    return null;
  },
};
