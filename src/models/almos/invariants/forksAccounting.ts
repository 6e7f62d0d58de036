/**
 * forksAccounting (invariant 5, Q): `forks` of a page counts the extra holders sharing it in COW mode.
 * For an anonymous page with h >= 1 holders, forks == h - 1; file mapper pages and CODE replicas keep
 * forks == 0; forks is never negative. handleCow trusts forks to decide between copying the page
 * (forks > 0) and making it writable in place, and removeVseg to decide between keeping and freeing
 * it: a forks too low gives one process write access to a page another still reads (or frees it under
 * the other); a forks too high leaks a copy.
 * A holder is a process whose authoritative GPT maps the page: the reference GPT for a DATA/ANON/REMOTE
 * vseg of the reference VSL, the owning cluster's GPT (the vseg's cxy) for a STACK vseg. A process
 * mapping the page at several vpns counts once. Pages with no holder are left to noUseAfterFree. Checked
 * only at quiescent states (fork and handleCow update the counter and the PTEs in separate steps); the
 * `forks >= 0` part is checked there too, for every page, free or not, and at every step by
 * forksNonNegative (a transient underflow a free resets is gone by the next quiescent state).
 */
import type { Invariant } from '../../../engine/types.js';
import { ppnHome } from '../../../hw/ids.js';
import { isMapped } from '../../../hw/pte.js';
import type { AlmosShared, PageDesc } from '../state.js';
import { findVseg } from '../util.js';
import { pageReads, procReads } from './reads.js';
import { mapperPages, mappings, refVseg } from './scan.js';

/** ppn -> its holders (pid -> where it maps the page), from the authoritative GPTs. */
function holders(s: AlmosShared): Map<number, Map<number, string>> {
  const out = new Map<number, Map<number, string>>();
  const add = (ppn: number, pid: number, where: string) => {
    const h = out.get(ppn) ?? new Map<number, string>();
    if (!h.has(pid)) h.set(pid, where);
    out.set(ppn, h);
  };
  s.proc.forEach((p, pid) => {
    p.copy.forEach((c, cxy) => {
      if (c === null) return;
      for (const [k, pte] of Object.entries(c.gpt)) {
        if (!isMapped(pte)) continue;
        const vpn = Number(k);
        const v = findVseg(c.vsl, vpn);
        const stack = v?.type === 'STACK' && v.cxy === cxy;
        const pub = cxy === p.ref && v !== undefined && ['DATA', 'ANON', 'REMOTE'].includes(v.type);
        if (stack || pub) add(pte.ppn, pid, `P${pid} c${cxy} vpn ${vpn}`);
      }
    });
  });
  return out;
}

/** File mapper pages and CODE replicas (mapped under a CODE vseg in some GPT). */
function sharedFilePages(s: AlmosShared): Set<number> {
  const out = mapperPages(s);
  for (const m of mappings(s)) {
    const v = findVseg(s.proc[m.pid]?.copy[m.cxy]?.vsl ?? [], m.vpn) ?? refVseg(s, m.pid, m.vpn);
    if (v?.type === 'CODE') out.add(m.pte.ppn);
  }
  return out;
}

export const forksAccounting: Invariant<AlmosShared> = {
  name: 'forksAccounting',
  when: 'quiescent',
  reads: [...procReads, ...pageReads, 'files', 'framesPerCluster'],
  check(st) {
    const s = st.shared;
    const files = sharedFilePages(s);
    const held = holders(s);
    for (const [ppn, page] of s.page.entries()) {
      const forks = (page as PageDesc).forks;
      const at = `ppn ${ppn} (cluster ${ppnHome(ppn, s.framesPerCluster)})`;
      if (forks < 0) return `${at}: forks = ${forks} is negative`;
      if (files.has(ppn)) {
        if (forks !== 0) return `${at}: file mapper / CODE page has forks = ${forks}, expected 0`;
        continue;
      }
      const h = held.get(ppn);
      if (h !== undefined && forks !== h.size - 1) {
        return `${at}: forks = ${forks} but ${h.size} process(es) hold it (${[...h.values()].join(', ')}), expected ${h.size - 1}`;
      }
    }
    return null;
  },
};
