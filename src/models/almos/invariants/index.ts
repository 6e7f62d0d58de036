/**
 * The ALMOS invariants, one file each: the twelve of shared/spec/almos-mkh.md ("Invariants") in the
 * spec's order, then the checks a reviewer expects of the protocol (spec/almos-invariants.md, 13-15).
 */
import type { Invariant } from '../../../engine/types.js';
import type { AlmosShared } from '../state.js';
import { copyCoherence } from './copyCoherence.js';
import { copySubsetOfReference } from './copySubsetOfReference.js';
import { cowExcludesWritable } from './cowExcludesWritable.js';
import { forksAccounting } from './forksAccounting.js';
import { forksNonNegative } from './forksNonNegative.js';
import { lockDiscipline } from './lockDiscipline.js';
import { mappingsInsideVsegs } from './mappingsInsideVsegs.js';
import { noKernelPanic } from './noKernelPanic.js';
import { noUseAfterFree } from './noUseAfterFree.js';
import { noWritableSharing } from './noWritableSharing.js';
import { placement } from './placement.js';
import { privateLocality } from './privateLocality.js';
import { refcountMatchesPtes } from './refcountMatchesPtes.js';
import { refinement } from './refinement.js';
import { vslNoOverlap } from './vslNoOverlap.js';

export const almosInvariants: readonly Invariant<AlmosShared>[] = [
  copyCoherence,
  copySubsetOfReference,
  privateLocality,
  placement,
  forksAccounting,
  noWritableSharing,
  cowExcludesWritable,
  noUseAfterFree,
  mappingsInsideVsegs,
  lockDiscipline,
  refinement,
  noKernelPanic,
  forksNonNegative,
  refcountMatchesPtes,
  vslNoOverlap,
];
