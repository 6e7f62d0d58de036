/**
 * noKernelPanic (invariant 12): no handler returns KERNEL_PANIC on a legal access, and no user action
 * (bad address, write to read-only, access outside any vseg) produces anything but USER_ERROR. The
 * MMU path records a KERNEL_PANIC result in `ghost.panic`; handlers record assertion failures there.
 */
import type { Invariant } from '../../../engine/types.js';
import type { AlmosShared } from '../state.js';

export const noKernelPanic: Invariant<AlmosShared> = {
  name: 'noKernelPanic',
  when: 'step',
  reads: ['ghost.panic'],
  check: (st) => st.shared.ghost.panic,
};
