/**
 * refinement (invariant 11): every user load returns what the abstract memory (spec/memory.ts)
 * allows, every access the abstract memory maps succeeds, and every access it does not map faults.
 * The check runs at the step of the access (refinement.ts) and records the first mismatch.
 */
import type { Invariant } from '../../../engine/types.js';
import type { AlmosShared } from '../state.js';

export const refinement: Invariant<AlmosShared> = {
  name: 'refinement',
  when: 'step',
  reads: ['ghost.refinement'],
  check: (st) => st.shared.ghost.refinement,
};
