/**
 * copyCoherence (invariant 1, Q): a mapped public PTE in a copy K != reference equals the reference
 * PTE on the ppn and on WRITABLE/COW/USER/EXECUTABLE/CACHABLE (COHERENT_BITS). Copies are caches of
 * the reference GPT; between two operations they must not disagree with it.
 * Edge cases: "public" is decided by the reference VSL (the vseg containing vpn is DATA/ANON/REMOTE/
 * FILE); a vpn outside every reference vseg is left to copySubsetOfReference/mappingsInsideVsegs; a
 * mapped copy entry whose reference entry is unmapped is reported here too (it cannot be equal).
 * LOCKED, DIRTY, ACCESSED, SMALL and READABLE are not compared. A process whose reference copy is gone
 * is skipped (copySubsetOfReference reports its remaining copies).
 */
import type { Invariant } from '../../../engine/types.js';
import { COHERENT_BITS, formatAttr, isMapped } from '../../../hw/pte.js';
import { type AlmosShared, isPublic, type Process } from '../state.js';
import { procReads } from './reads.js';
import { mappings, refCopy, refVseg, showMapping } from './scan.js';

export const copyCoherence: Invariant<AlmosShared> = {
  name: 'copyCoherence',
  when: 'quiescent',
  reads: [...procReads],
  check(st) {
    const s = st.shared;
    for (const m of mappings(s)) {
      const ref = (s.proc[m.pid] as Process).ref;
      const refGpt = refCopy(s, m.pid)?.gpt;
      if (refGpt === undefined || m.cxy === ref) continue;
      const v = refVseg(s, m.pid, m.vpn);
      if (v === undefined || !isPublic(v.type)) continue;
      const r = refGpt[m.vpn];
      const where = `${showMapping(m)} in ${v.type} vseg`;
      if (!isMapped(r)) return `${where}: the reference GPT (c${ref}) does not map vpn ${m.vpn}`;
      if (r.ppn !== m.pte.ppn || (r.attr & COHERENT_BITS) !== (m.pte.attr & COHERENT_BITS)) {
        return `${where} differs from the reference (c${ref}): ppn ${r.ppn} (${formatAttr(r.attr)})`;
      }
    }
    return null;
  },
};
