/**
 * vslNoOverlap (every step): no two vsegs of one VSL (the reference's or a copy's) overlap, a vseg
 * attached twice included. The kernel looks a vpn up in the VSL by its first containing vseg and
 * removes vsegs one at a time (vseg_detach): with two entries for one range, munmap and exit detach one
 * and leave the other, which keeps translating faults into a vseg the reference no longer has.
 */
import type { Invariant } from '../../../engine/types.js';
import type { AlmosShared, Vseg } from '../state.js';

const show = (v: Vseg) => `${v.type} vseg [${v.base}, ${v.base + v.size})`;

export const vslNoOverlap: Invariant<AlmosShared> = {
  name: 'vslNoOverlap',
  when: 'step',
  reads: ['proc.*.copy.*.vsl'],
  check(st) {
    const procs = st.shared.proc;
    for (let pid = 0; pid < procs.length; pid++) {
      const copies = (procs[pid] as AlmosShared['proc'][number]).copy;
      for (let cxy = 0; cxy < copies.length; cxy++) {
        const vsl = copies[cxy]?.vsl;
        if (vsl === undefined) continue;
        for (let i = 0; i < vsl.length; i++) {
          const a = vsl[i] as Vseg;
          for (let j = i + 1; j < vsl.length; j++) {
            const b = vsl[j] as Vseg;
            if (a.base < b.base + b.size && b.base < a.base + a.size) {
              const same = a.base === b.base && a.size === b.size && a.type === b.type;
              return `P${pid} c${cxy}: ${show(a)} ${same ? 'is attached twice' : `overlaps ${show(b)}`} in the VSL`;
            }
          }
        }
      }
    }
    return null;
  },
};
