/**
 * forksNonNegative (every step): no page descriptor's `forks` is ever below 0, free or not. handleCow
 * and removeVseg decrement `forks` and decide on it (copy or reuse, keep or free); a negative count is a
 * decrement with no pending fork behind it. forksAccounting checks the same bound only at quiescent
 * states, where a later free (which resets the descriptor) has already hidden a transient underflow.
 */
import type { Invariant } from '../../../engine/types.js';
import { ppnHome } from '../../../hw/ids.js';
import type { AlmosShared } from '../state.js';

export const forksNonNegative: Invariant<AlmosShared> = {
  name: 'forksNonNegative',
  when: 'step',
  reads: ['page.*.forks', 'framesPerCluster'],
  check(st) {
    const s = st.shared;
    for (let ppn = 0; ppn < s.page.length; ppn++) {
      const forks = (s.page[ppn] as { forks: number }).forks;
      if (forks < 0)
        return `ppn ${ppn} (cluster ${ppnHome(ppn, s.framesPerCluster)}): forks = ${forks} is negative`;
    }
    return null;
  },
};
