/**
 * privateLocality (invariant 3, every step): STACK and CODE PTEs exist only in the owning cluster's
 * GPT. Private vsegs are never looked up through the reference: a STACK entry belongs to the GPT of
 * the cluster running the stack's thread (the vseg's `cxy`), and each cluster has its own CODE replica,
 * so a CODE entry of cluster K's GPT must map a page whose home is K (ppnHome).
 * Edge cases: the vseg of an entry is looked up in K's own VSL, else among the STACK vsegs of every
 * copy of the process (a stale stack entry), else in the reference VSL (CODE). The home of a STACK
 * page is not checked: after fork the child's stack maps the parent's pages (COW) from another cluster.
 */
import type { Invariant } from '../../../engine/types.js';
import { ppnHome } from '../../../hw/ids.js';
import type { AlmosShared, Process, Vseg } from '../state.js';
import { findVseg } from '../util.js';
import { procReads } from './reads.js';
import { type Mapping, mappings, refVseg, showMapping, vsegIn } from './scan.js';

/** The private vseg governing a mapping, if any. */
function privateVseg(s: AlmosShared, m: Mapping): Vseg | undefined {
  const own = vsegIn(s, m.pid, m.cxy, m.vpn);
  if (own !== undefined) return own.type === 'STACK' || own.type === 'CODE' ? own : undefined;
  for (const c of (s.proc[m.pid] as Process).copy) {
    const v = c ? findVseg(c.vsl, m.vpn) : undefined;
    if (v?.type === 'STACK') return v;
  }
  const v = refVseg(s, m.pid, m.vpn);
  return v?.type === 'CODE' ? v : undefined;
}

export const privateLocality: Invariant<AlmosShared> = {
  name: 'privateLocality',
  when: 'step',
  reads: [...procReads, 'framesPerCluster'],
  check(st) {
    const s = st.shared;
    for (const m of mappings(s)) {
      const v = privateVseg(s, m);
      if (v === undefined) continue;
      if (v.type === 'STACK' && v.cxy !== m.cxy) {
        return `${showMapping(m)}: STACK vseg [${v.base}, ${v.base + v.size}) of cluster ${v.cxy} mapped in the GPT of c${m.cxy}`;
      }
      const home = ppnHome(m.pte.ppn, s.framesPerCluster);
      if (v.type === 'CODE' && home !== m.cxy) {
        return `${showMapping(m)}: CODE replica page lives in cluster ${home}, not in c${m.cxy}`;
      }
    }
    return null;
  },
};
