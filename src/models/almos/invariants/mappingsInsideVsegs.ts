/**
 * mappingsInsideVsegs (invariant 9, every step): every mapped PTE of a GPT copy lies inside a vseg of
 * that copy's own VSL. The VSL is what munmap, exit and fork walk: an entry outside it is never
 * reset, never copied, never released (a stale translation to a page that may be freed and reused).
 * Edge cases: every entry counts (the model has no kernel entries, all are user entries); the vseg
 * must be in the same copy's VSL, not just somewhere in the process — the G1 true page fault maps
 * gpt(L) after getVseg attached the vseg to L's VSL, and a fault racing with munmap that maps after
 * the vseg was detached is reported. G2 entries holding only LOCKED are not mapped and not checked.
 */
import type { Invariant } from '../../../engine/types.js';
import type { AlmosShared } from '../state.js';
import { procReads } from './reads.js';
import { mappings, showMapping, vsegIn } from './scan.js';

export const mappingsInsideVsegs: Invariant<AlmosShared> = {
  name: 'mappingsInsideVsegs',
  when: 'step',
  reads: [...procReads],
  check(st) {
    for (const m of mappings(st.shared)) {
      if (vsegIn(st.shared, m.pid, m.cxy, m.vpn) === undefined) {
        return `${showMapping(m)} lies in no vseg of the VSL of c${m.cxy}`;
      }
    }
    return null;
  },
};
