/**
 * Correction, knob `faultHoldsRefLock` (not in the kernel; docs/findings.md, finding 5): the page fault
 * keeps the reference entry locked until the local entry is set. Documented, a false page fault reads
 * the reference PTE, unlocks, then copies it into the local GPT: a COW in between updates the reference
 * (and skips the still unmapped local entry), and the fault installs the stale pre-COW PTE.
 * G1 (handlePageFault): a mapped reference entry keeps gpt(R) read-locked while the fault write-locks
 * gpt(L) and copies; gpt(L) is released, then gpt(R) (lock order R then L; the COW write-locks gpt(R)).
 * L == R: the entry is already mapped, just unlock.
 * G2 (handlePageFaultG2): the local set_pte comes before the reference PTE is unlocked; a true fault
 * writes the new page into the reference entry with LOCKED kept, sets the local entry, then unlocks.
 */
import type { Frame, Procedure } from '../../../engine/types.js';
import { call } from '../../../engine/types.js';
import { isMapped, PTE, type Pte } from '../../../hw/pte.js';
import { setPte, vsegAttr } from '../gpt.js';
import type { PageFaultLocals } from '../pageFault.js';
import type { PageFaultG2Locals } from '../pageFaultG2.js';
import type { AlmosShared, Vseg } from '../state.js';
import { copyIn, gptLockPath, gptPath, here, proc } from '../util.js';
import { type Correction, continuingAt, stepOf } from './correction.js';

type S = AlmosShared;
const refOf = (s: S, f: { locals: { pid: number } }) => proc(s, f.locals.pid).ref;

/** handlePageFault (G1) holding gpt(R) across the false fault's copy. */
function holdingRefLock(base: Procedure<S, PageFaultLocals>): Procedure<S, PageFaultLocals> {
  const refRdRelease = (s: S, f: Frame<PageFaultLocals>, next: string) =>
    call('remoteRwlockRdRelease', { lock: gptLockPath(f.locals.pid, refOf(s, f)) }, next);
  const pubDecide = stepOf(base, 'pubDecide');
  return {
    ...base,
    steps: {
      ...base.steps,
      /** Read the reference entry; unlock gpt(R) only if it is unmapped (a true fault). */
      pubReadRef: {
        ...stepOf(base, 'pubReadRef'),
        run(s, f) {
          const pte = copyIn(s, f.locals.pid, refOf(s, f)).gpt[f.locals.vpn];
          f.locals.refPte = isMapped(pte) ? { attr: pte.attr, ppn: pte.ppn } : null;
          if (f.locals.refPte !== null) return 'pubDecide';
          return refRdRelease(s, f, 'pubDecide');
        },
      },
      pubDecide: {
        ...pubDecide,
        run(s, f, ctx) {
          if (f.locals.refPte !== null && here(s, ctx) === refOf(s, f)) return refRdRelease(s, f, 'done');
          return pubDecide.run(s, f, ctx);
        },
      },
      falseCopy: continuingAt(stepOf(base, 'falseCopy'), () => ({ done: 'falseUnlockRef' })),
      falseUnlockRef: { footprint: () => [], run: (s, f) => refRdRelease(s, f, 'done') },
    },
  };
}

/** handlePageFaultG2 setting the local entry before the reference PTE is unlocked. */
function holdingRefPteLock(base: Procedure<S, PageFaultG2Locals>): Procedure<S, PageFaultG2Locals> {
  const unlockRef = (s: S, f: Frame<PageFaultG2Locals>, next: string) =>
    call('unlockPte', { gpt: gptPath(f.locals.pid, refOf(s, f)), vpn: f.locals.vpn }, next);
  const checkRef = stepOf(base, 'checkRef');
  return {
    ...base,
    steps: {
      ...base.steps,
      /** The reference entry is mapped: keep it locked, copy it (without LOCKED) into the local one. */
      checkRef: {
        ...checkRef,
        run(s, f, ctx) {
          const old = f.locals.refOld;
          if (!isMapped(old)) return checkRef.run(s, f, ctx);
          f.locals.refPte = unlockedPte(old);
          return 'setLocalFromRef';
        },
      },
      /** The new page goes into the reference entry with LOCKED kept. */
      setRef: {
        ...stepOf(base, 'setRef'),
        run(s, f) {
          const pte = { attr: vsegAttr(f.locals.vseg as Vseg), ppn: f.locals.ppn };
          setPte(s, f.locals.pid, refOf(s, f), f.locals.vpn, { attr: pte.attr | PTE.LOCKED, ppn: pte.ppn });
          f.locals.refPte = pte;
          return 'setLocalFromRef';
        },
      },
      /** set_pte local, then unlock the reference entry. */
      setLocalFromRef: {
        ...stepOf(base, 'setLocalFromRef'),
        run(s, f, ctx) {
          setPte(s, f.locals.pid, here(s, ctx), f.locals.vpn, f.locals.refPte);
          return unlockRef(s, f, 'done');
        },
      },
    },
  };
}

const unlockedPte = (pte: Pte): Pte => ({ attr: pte.attr & ~PTE.LOCKED, ppn: pte.ppn });

export const faultHoldsRefLock: Correction = {
  selected: (k) => k.faultHoldsRefLock,
  procedures: { handlePageFault: holdingRefLock, handlePageFaultG2: holdingRefPteLock },
  adds: [],
};
