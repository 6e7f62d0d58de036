/** The ALMOS invariants (shared/spec/almos-mkh.md, "Invariants"), one file each. */
import type { Invariant } from '../../../engine/types.js';
import type { AlmosShared } from '../state.js';
import { noKernelPanic } from './noKernelPanic.js';
import { refinement } from './refinement.js';

export const almosInvariants: readonly Invariant<AlmosShared>[] = [noKernelPanic, refinement];
