/**
 * Correction, knob `updateRefLast` (not in the kernel; docs/findings.md, the fork/COW races): the
 * globalUpdatePte walk skips the reference and stores into it last. In G2, handleCowG2 then holds the
 * reference PTE lock until every copy is updated (that last store is the set_pte that releases it),
 * so a setCow walking under that lock (`setCowLocksRefPte`) cannot mark a copy between two stores.
 */
import type { Procedure } from '../../../engine/types.js';
import { type GlobalUpdateLocals, updateCopy, type WalkOrder } from '../globalUpdatePte.js';
import type { AlmosShared } from '../state.js';
import { proc } from '../util.js';
import type { Correction } from './correction.js';

/** The owner's copies list, the reference moved last. */
const refLast: WalkOrder = (s, p) => {
  const { copies, ref } = proc(s, p);
  if (!copies.includes(ref)) return copies;
  return [...copies.filter((c) => c !== ref), ref];
};

function storingRefLast(base: Procedure<AlmosShared, GlobalUpdateLocals>) {
  return { ...base, steps: { ...base.steps, updateCopy: updateCopy(refLast) } };
}

export const updateRefLast: Correction = {
  selected: (k) => k.updateRefLast,
  procedures: { globalUpdatePte: storingRefLast },
  adds: [],
};
