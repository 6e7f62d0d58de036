/**
 * cowExcludesWritable (invariant 7, every step): no PTE has both COW and WRITABLE. A COW entry must
 * fault on the first write so that handleCow can copy the page; with WRITABLE the MMU lets the write
 * through to the shared page. Every entry of every GPT copy is checked, mapped or not (G2 entries
 * that carry only LOCKED have neither bit).
 */
import type { Invariant } from '../../../engine/types.js';
import { formatAttr, PTE } from '../../../hw/pte.js';
import type { AlmosShared } from '../state.js';
import { procReads } from './reads.js';

const BOTH = PTE.COW | PTE.WRITABLE;

export const cowExcludesWritable: Invariant<AlmosShared> = {
  name: 'cowExcludesWritable',
  when: 'step',
  reads: [...procReads],
  check(st) {
    for (const [pid, p] of st.shared.proc.entries()) {
      for (const [cxy, c] of p.copy.entries()) {
        if (c === null) continue;
        for (const [vpn, pte] of Object.entries(c.gpt)) {
          if ((pte.attr & BOTH) === BOTH) {
            return `P${pid} c${cxy} vpn ${vpn} -> ppn ${pte.ppn} (${formatAttr(pte.attr)}) is both COW and WRITABLE`;
          }
        }
      }
    }
    return null;
  },
};
