/**
 * copySubsetOfReference (invariant 2, every step): every mapped public PTE of a copy K != reference
 * is mapped in the reference GPT, and every public vseg of K's VSL exists in the reference VSL with
 * the same type and bounds. A copy is a cache filled from the reference: an entry the reference does
 * not have can point to a page the reference no longer accounts for (freed, reused).
 * Edge cases: a PTE is public when the vseg containing its vpn in K's own VSL (else in the reference
 * VSL) is DATA/ANON/REMOTE/FILE; a vpn in no vseg is left to mappingsInsideVsegs. Checked after every
 * step: the faithful protocols set the reference before the copies (true page fault) and clear the
 * copies before the reference (munmap with copyOrder = refLast); the reverse order (refFirst) is
 * reported — a finding for that knob. A process whose reference copy is gone must have no public
 * entry or vseg left in any copy. Only the reference's ppn is not compared (copyCoherence, at Q).
 */
import type { Invariant } from '../../../engine/types.js';
import { isMapped } from '../../../hw/pte.js';
import { type AlmosShared, isPublic, type Process } from '../state.js';
import { procReads } from './reads.js';
import { mappings, refCopy, refVseg, showMapping, vsegIn } from './scan.js';

export const copySubsetOfReference: Invariant<AlmosShared> = {
  name: 'copySubsetOfReference',
  when: 'step',
  reads: [...procReads],
  check(st) {
    const s = st.shared;
    for (const [pid, p] of s.proc.entries()) {
      const ref = refCopy(s, pid);
      for (const [cxy, c] of p.copy.entries()) {
        if (c === null || cxy === p.ref) continue;
        for (const v of c.vsl) {
          if (!isPublic(v.type)) continue;
          const same = ref?.vsl.some((x) => x.base === v.base && x.size === v.size && x.type === v.type);
          if (same !== true) {
            return `P${pid} c${cxy} has ${v.type} vseg [${v.base}, ${v.base + v.size}) that the reference VSL (c${p.ref}) does not have`;
          }
        }
      }
    }
    for (const m of mappings(s)) {
      const p = s.proc[m.pid] as Process;
      if (m.cxy === p.ref) continue;
      const ref = refCopy(s, m.pid);
      const v = vsegIn(s, m.pid, m.cxy, m.vpn) ?? refVseg(s, m.pid, m.vpn);
      if (v === undefined || !isPublic(v.type)) continue;
      if (!isMapped(ref?.gpt[m.vpn])) {
        return `${showMapping(m)} in ${v.type} vseg is not mapped in the reference GPT (c${p.ref})`;
      }
    }
    return null;
  },
};
