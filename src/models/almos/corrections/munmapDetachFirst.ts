/**
 * Correction, knob `munmapProtocol = detachFirst` (not in the kernel; docs/findings.md M1/M2: the
 * documented munmap resets each copy's PTEs with no lock, and a page fault racing it maps a page of
 * the vseg being deleted, or attaches the vseg again). The corrected munmap:
 * 1. globalDeleteVseg first marks the vseg as being deleted in the reference (under its VSL write
 *    lock, vsegDeleting.ts), then walks the copies with the reference last whatever `copyOrder`
 *    says, running removeVsegLocked in each (removeVsegLocked.ts: G1 under the gpt(R) and gpt(K)
 *    write locks; G2: removeVseg locks each PTE before resetting it);
 * 2. removeVseg detaches the vseg from each VSL after its PTEs are gone, and the reference's detach
 *    drops the mark;
 * 3. getVseg's attach re-reads the reference VSL under the local VSL write lock and refuses (returns
 *    null) a vseg being deleted or gone; a public page fault re-checks it under the lock it maps under
 *    (G1: gpt(L) for the false fault, gpt(R) for the true one; G2: the local PTE lock) and returns
 *    USER_ERROR.
 */
import type { Frame, Procedure } from '../../../engine/types.js';
import { call, ret } from '../../../engine/types.js';
import { isMapped, type Pte } from '../../../hw/pte.js';
import { copyWalk } from '../copyWalk.js';
import type { GetVsegLocals } from '../getVseg.js';
import type { DeleteLocals } from '../munmap.js';
import type { PageFaultLocals } from '../pageFault.js';
import type { PageFaultG2Locals } from '../pageFaultG2.js';
import type { RemoveVsegLocals } from '../removeVseg.js';
import { rpc } from '../rpc.js';
import { type AlmosShared, isPublic, type Vseg } from '../state.js';
import { gptLockPath, gptPath, here, proc, vslLockPath, vslLocks, w } from '../util.js';
import { type Correction, continuingAt, stepOf } from './correction.js';
import { removeVsegLocked } from './removeVsegLocked.js';
import {
  deletingPath,
  markDeleting,
  markFootprint,
  unmarkDeleting,
  vsegAlive,
  vsegAliveFootprint,
} from './vsegDeleting.js';

type S = AlmosShared;
const alive = (s: S, f: Frame<{ pid: number; vseg: Vseg | null }>) =>
  vsegAlive(s, f.locals.pid, f.locals.vseg as Vseg);

/** getVseg: the attach refuses a vseg the reference no longer holds or is deleting. */
function attachRechecking(base: Procedure<S, GetVsegLocals>): Procedure<S, GetVsegLocals> {
  const attach = stepOf(base, 'attach');
  return {
    ...base,
    steps: {
      ...base.steps,
      attach: {
        ...attach,
        footprint: (s, f, ctx) => [
          ...(attach.footprint?.(s, f, ctx) ?? []),
          ...vsegAliveFootprint(s, f.locals.pid),
        ],
        run(s, f, ctx) {
          if (alive(s, f)) return attach.run(s, f, ctx);
          f.locals.vseg = null;
          return call(vslLocks(s)[3], { lock: vslLockPath(f.locals.pid, here(s, ctx)) }, 'done');
        },
      },
    },
  };
}

/**
 * handlePageFault (G1): re-check the vseg once the lock it maps under is held. `refLockHeld`: the
 * false fault also holds gpt(R) (faultHoldsRefLock), released after gpt(L) on the way out too.
 */
function faultRechecking(
  base: Procedure<S, PageFaultLocals>,
  refLockHeld: boolean,
): Procedure<S, PageFaultLocals> {
  const recheck = { falseCopy: 'falseRecheck', trueReread: 'trueRecheck' };
  return {
    ...base,
    steps: {
      ...base.steps,
      pubDecide: continuingAt(stepOf(base, 'pubDecide'), () => recheck),
      falseRecheck: {
        footprint: (s, f) => vsegAliveFootprint(s, f.locals.pid),
        run(s, f, ctx) {
          if (alive(s, f)) return 'falseCopy';
          f.locals.result = 'USER_ERROR';
          const next = refLockHeld ? 'falseUnlockRef' : 'done';
          return call('remoteRwlockWrRelease', { lock: gptLockPath(f.locals.pid, here(s, ctx)) }, next);
        },
      },
      trueRecheck: {
        footprint: (s, f) => vsegAliveFootprint(s, f.locals.pid),
        run(s, f) {
          if (alive(s, f)) return 'trueReread';
          f.locals.result = 'USER_ERROR';
          return 'trueUnlock';
        },
      },
    },
  };
}

/** handlePageFaultG2: a public fault re-checks the vseg holding the local PTE lock. */
function faultG2Rechecking(base: Procedure<S, PageFaultG2Locals>): Procedure<S, PageFaultG2Locals> {
  const recheck = { checkLocal: 'recheckVseg' };
  return {
    ...base,
    steps: {
      ...base.steps,
      gotVseg: continuingAt(stepOf(base, 'gotVseg'), (_s, f) =>
        f.locals.vseg !== null && isPublic(f.locals.vseg.type) ? recheck : {},
      ),
      recheckVseg: {
        footprint: (s, f) => vsegAliveFootprint(s, f.locals.pid),
        run(s, f, ctx) {
          if (alive(s, f)) return 'checkLocal';
          f.locals.result = 'USER_ERROR';
          return call('unlockPte', { gpt: gptPath(f.locals.pid, here(s, ctx)), vpn: f.locals.vpn }, 'done');
        },
      },
    },
  };
}

/** globalDeleteVseg: mark the vseg first, then removeVsegLocked in each copy, the reference last. */
function deleteMarkingFirst(base: Procedure<S, DeleteLocals>): Procedure<S, DeleteLocals> {
  const nextCopy = (f: Frame<DeleteLocals>, local: number) => {
    const { walk, i, pid, base } = f.locals;
    if (i >= walk.length) return ret(0);
    f.locals.i = i + 1;
    const cxy = walk[i] as number;
    return cxy === local
      ? call('removeVsegLocked', { pid, base }, 'next')
      : rpc(cxy, 'REMOVE_VSEG', { pid, base, locked: true }, 'next');
  };
  return {
    ...base,
    steps: {
      ...base.steps,
      readCopies: {
        ...stepOf(base, 'readCopies'),
        run(s, f) {
          const p = proc(s, f.locals.pid);
          f.locals.walk = copyWalk(p.copies, p.ref, 'refLast');
          f.locals.i = 0;
          return call(vslLocks(s)[2], { lock: vslLockPath(p.pid, p.ref) }, 'markDeleting');
        },
      },
      markDeleting: {
        footprint: (s, f) => markFootprint(s, f.locals.pid),
        run(s, f) {
          const p = proc(s, f.locals.pid);
          markDeleting(s, p.pid, f.locals.base);
          return call(vslLocks(s)[3], { lock: vslLockPath(p.pid, p.ref) }, 'next');
        },
      },
      next: { footprint: () => [], run: (s, f, ctx) => nextCopy(f, here(s, ctx)) },
    },
  };
}

/** removeVseg's locals as removeVsegLocked calls it: `locked` (and lock_pte's value, `old`). */
type LockedLocals = RemoveVsegLocals & { locked?: boolean; old: Pte };

/**
 * removeVseg called `locked` (by removeVsegLocked): G2 locks each PTE before reading it, and the reset
 * (which clears LOCKED, as set_pte) releases it; an unmapped entry is unlocked. The detach also drops
 * the reference's "being deleted" mark. Called without `locked` (exit), it is the documented one.
 */
function removeLockingPtes(base: Procedure<S, RemoveVsegLocals>): Procedure<S, LockedLocals> {
  const getPte = stepOf(base, 'getPte');
  const detach = stepOf(base, 'detach');
  const ptesLocked = (s: S, f: Frame<LockedLocals>) =>
    f.locals.locked === true && s.knobs.generation === 'G2';
  return {
    ...base,
    steps: {
      ...base.steps,
      getPte: {
        ...getPte,
        footprint: (s, f, ctx) => (ptesLocked(s, f) ? [] : (getPte.footprint?.(s, f, ctx) ?? [])),
        run(s, f, ctx) {
          const v = f.locals.vseg;
          if (!ptesLocked(s, f) || v === null || f.locals.vpn >= v.base + v.size)
            return getPte.run(s, f, ctx);
          const gpt = gptPath(f.locals.pid, here(s, ctx));
          return call('lockPte', { gpt, vpn: f.locals.vpn }, 'gotLockedPte', 'old');
        },
      },
      gotLockedPte: {
        footprint: () => [],
        run(s, f, ctx) {
          const old = f.locals.old;
          if (isMapped(old)) {
            f.locals.ppn = old.ppn;
            return 'resetPte';
          }
          f.locals.vpn = f.locals.vpn + 1;
          const gpt = gptPath(f.locals.pid, here(s, ctx));
          return call('unlockPte', { gpt, vpn: f.locals.vpn - 1 }, 'getPte');
        },
      },
      detach: {
        ...detach,
        footprint: (s, f, ctx) => [
          ...(detach.footprint?.(s, f, ctx) ?? []),
          ...(f.locals.locked === true ? [w(deletingPath(f.locals.pid, here(s, ctx)))] : []),
        ],
        run(s, f, ctx) {
          const next = detach.run(s, f, ctx);
          if (f.locals.locked === true)
            unmarkDeleting(s, f.locals.pid, here(s, ctx), (f.locals.vseg as Vseg).base);
          return next;
        },
      },
    },
  };
}

/** RPC_VMM_REMOVE_VSEG handler: a `locked` request runs removeVsegLocked. */
function rpcRemoveLocked(base: Procedure<S, LockedLocals>): Procedure<S, LockedLocals> {
  return {
    ...base,
    steps: {
      ...base.steps,
      remove: {
        ...stepOf(base, 'remove'),
        run: (_s, f) =>
          call(
            f.locals.locked === true ? 'removeVsegLocked' : 'removeVseg',
            { pid: f.locals.pid, base: f.locals.base },
            'reply',
          ),
      },
    },
  };
}

export const munmapDetachFirst: Correction = {
  selected: (k) => k.munmapProtocol === 'detachFirst',
  procedures: {
    getVseg: attachRechecking,
    handlePageFault: (p, k) => faultRechecking(p, k.faultHoldsRefLock),
    handlePageFaultG2: faultG2Rechecking,
    globalDeleteVseg: deleteMarkingFirst,
    removeVseg: removeLockingPtes,
    rpcVmmRemoveVseg: rpcRemoveLocked,
  },
  adds: [removeVsegLocked],
};
