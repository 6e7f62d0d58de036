/**
 * The corrected variants of documented designs that the checker found to violate an invariant
 * (docs/findings.md), one file per correction knob (knobs.ts), and how a configuration selects them.
 * The documented handlers (pageFault.ts, cow.ts, ...) hold the documented protocol only; a correction
 * overrides some of their steps. The model's procedure table for a configuration (Model.proceduresFor,
 * built once per Instance) is the documented table with the selected corrections applied, in the
 * order below (a later one builds on an earlier one's variant: munmapDetachFirst's page faults on
 * faultHoldsRefLock's, its getVseg on attachRecheck's). No correction is chosen step by step from `s.knobs`.
 * Precedence: a procedure replaced by an override (`almos({ overrides })`, or any copy of the model
 * with another procedure under that name) is used as it is — no correction applies to it.
 */
import type { Procedure, ProcedureTable } from '../../../engine/types.js';
import type { Knobs } from '../knobs.js';
import type { AlmosShared } from '../state.js';
import { attachRecheck } from './attachRecheck.js';
import type { Correction } from './correction.js';
import { cowDecrementAfterUpdate } from './cowDecrementAfterUpdate.js';
import { faultHoldsRefLock } from './faultHoldsRefLock.js';
import { forkHoldsGptLock } from './forkHoldsGptLock.js';
import { forkLocksRefPtes } from './forkLocksRefPtes.js';
import { forkProtectsParentFirst } from './forkProtectsParentFirst.js';
import { munmapDetachFirst } from './munmapDetachFirst.js';
import { setCowLocksRefPte } from './setCowLocksRefPte.js';
import { updateRefLast } from './updateRefLast.js';

export const corrections: readonly Correction[] = [
  faultHoldsRefLock,
  cowDecrementAfterUpdate,
  forkHoldsGptLock,
  forkLocksRefPtes,
  forkProtectsParentFirst,
  setCowLocksRefPte,
  updateRefLast,
  attachRecheck,
  munmapDetachFirst,
];

/**
 * The procedures only corrections call (cowReleaseOld, forkLockRefPtes, forkUnlockRefPtes,
 * forkCopyRangeProtected, setCowByVpn, removeVsegLocked).
 */
export const correctionProcedures: readonly Procedure<AlmosShared>[] = corrections.flatMap((c) => c.adds);

/**
 * `table` with the corrections `knobs` select applied to every procedure that is still the documented
 * one (`documented[name]`, the very same object).
 */
export function withCorrections(
  knobs: Knobs,
  table: ProcedureTable<AlmosShared>,
  documented: ProcedureTable<AlmosShared>,
): ProcedureTable<AlmosShared> {
  const out: { [name: string]: Procedure<AlmosShared> } = { ...table };
  for (const c of corrections) {
    if (!c.selected(knobs)) continue;
    for (const [name, correct] of Object.entries(c.procedures)) {
      const p = table[name];
      if (p === undefined || p !== documented[name]) continue;
      out[name] = correct(out[name] as Procedure<AlmosShared>, knobs);
    }
  }
  return out;
}
