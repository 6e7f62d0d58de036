/**
 * noKernelPanic (invariant 12, every step), both halves of the spec, recorded in `ghost.panic` (the
 * first record wins) by the step where they happen and reported here:
 * - the kernel never panics: a handler returning KERNEL_PANIC records its condition (`handleCow: vpn 0
 *   of P0 is unmapped in gpt(c0) under its lock`), then the MMU path records the panic itself; a
 *   failed kernel assertion is recorded where the kernel asserts (ppm_free_pages of a free page,
 *   hal_gpt_unlock_pte of an entry that is not locked, and the corrected cowReleaseOld's page freed
 *   under its holder);
 * - a user action on a legal address never yields USER_ERROR: mmuAccess records a USER_ERROR (from a
 *   handler or from its own permission check) on an access the abstract memory maps at that moment —
 *   region `mapped`, writable for a store — and mapped throughout the operation (user.ts). A region
 *   being mapped or unmapped (`mapping`, `unmapping`) allows either outcome.
 */
import type { Invariant } from '../../../engine/types.js';
import type { AlmosShared } from '../state.js';

export const noKernelPanic: Invariant<AlmosShared> = {
  name: 'noKernelPanic',
  when: 'step',
  reads: ['ghost.panic'],
  check: (st) => st.shared.ghost.panic,
};
