/**
 * Correction, knob `forkProtectsParentFirst` (not in the kernel; docs/findings.md F4, F5): each
 * parent entry is write-protected in every copy BEFORE the child's entry shares its page, as Linux's
 * copy_page_range write-protects the parent PTE as it copies it. The documented forkCopyRange writes the
 * child's COW entry first and leaves the parent writable until setCow: between the two, a parent thread
 * stores into a page the child already maps (noWritableSharing) and the child sees two instants of the
 * parent's memory mixed (refinement). Corrected, forkCopy and threadUserFork copy with
 * `forkCopyRangeProtected`, and the setCow pass (rpcProcessMakeFork's step 4, threadUserFork's
 * `halGptSetCow`) is gone: nothing is left to mark.
 *
 * `forkCopyRangeProtected`: locals in as forkCopyRange (`srcPid`, `srcCxy`, `dstPid`, `dstCxy`, `base`,
 * `size`, `type`, `vpn` = `base`); `ci` (the next copy to protect), `li` (the stack lock walk).
 * Per vpn: read the source entry; if mapped and not FILE, one remote read-modify-write per copy of the
 * parent that holds it (a public vseg: every copy of the owner's list, in list order; STACK: the source
 * copy), COW set and WRITABLE cleared (LOCKED kept); then forkCopyRange's own steps: the child's entry,
 * `forks += 1`, `refcount += 1` under the page busylock. FILE entries are copied as documented (a
 * shared mapping).
 *
 * The copy needs the parent's faults and COWs excluded from the first protection to the end of the fork
 * (a COW between a protection and `forks += 1` would read forks == 0 and make the page writable in place;
 * a COW released early would let a parent thread's later store land in a page still to be copied: two
 * instants). Public vsegs: G1 `forkHoldsGptLock` (the forking thread holds gpt(R)), G2 `forkLocksRefPtes`
 * (the forking thread holds every reference PTE lock). The forking thread's STACK (copied last, by
 * threadUserFork) is excluded here, for the whole range: G1 write-lock its GPT copy (unless that is
 * gpt(R), held by the forking thread), G2 lock_pte every entry of the range first, unlock them after.
 */
import type { Procedure, Step } from '../../../engine/types.js';
import { call, ret } from '../../../engine/types.js';
import { isMapped } from '../../../hw/pte.js';
import { forkCopyRange, type RangeLocals } from '../forkCopy.js';
import { setCowAttr } from '../gpt.js';
import type { AlmosShared } from '../state.js';
import { gptLockPath, gptPath, proc, ptePath, r, w } from '../util.js';
import { type Correction, callingInstead, stepOf } from './correction.js';

type Locals = RangeLocals & { ci: number; li: number };
type F = { locals: Locals };
type P = Procedure<AlmosShared>;

const srcPid = (f: F) => f.locals.srcPid;
const srcCxy = (f: F) => f.locals.srcCxy;
const vpn = (f: F) => f.locals.vpn;
const end = (f: F) => f.locals.base + f.locals.size;
const isStack = (f: F) => f.locals.type === 'STACK';
const g2 = (s: AlmosShared) => s.knobs.generation === 'G2';

/** The copies holding the source entry: every copy of the owner's list, or the STACK's own. */
const holders = (s: AlmosShared, f: F): readonly number[] =>
  isStack(f) ? [srcCxy(f)] : proc(s, srcPid(f)).copies;

/** G1: the STACK's GPT copy must be write-locked here (unless gpt(R), held by the forking thread). */
const locksStackGpt = (s: AlmosShared, f: F) =>
  isStack(f) && !g2(s) && !(srcCxy(f) === proc(s, srcPid(f)).ref && s.knobs.forkHoldsGptLock);

/** A step of the documented forkCopyRange, reused as is. */
const documented = (label: string): Step<AlmosShared, Locals> => stepOf(forkCopyRange, label);

export const forkCopyRangeProtected: Procedure<AlmosShared, Locals> = {
  name: 'forkCopyRangeProtected',
  entry: 'exclude',
  steps: {
    /** STACK: exclude the faults and COWs of the stack range (G1 its GPT lock, G2 each PTE lock). */
    exclude: {
      footprint: (_s, f) => [r(`proc.${srcPid(f)}.ref`)],
      run(s, f) {
        if (locksStackGpt(s, f))
          return call('remoteRwlockWrAcquire', { lock: gptLockPath(srcPid(f), srcCxy(f)) }, 'readPte');
        f.locals.li = f.locals.base;
        return isStack(f) && g2(s) ? 'lockStack' : 'readPte';
      },
    },
    /** G2 STACK: lock_pte on the next entry of the range. */
    lockStack: {
      footprint: () => [],
      run(_s, f) {
        const li = f.locals.li;
        if (li >= end(f)) return 'readPte';
        f.locals.li = li + 1;
        return call('lockPte', { gpt: gptPath(srcPid(f), srcCxy(f)), vpn: li }, 'lockStack');
      },
    },
    /** The loop head (forkCopyRange's read); a mapped non-FILE entry is protected before it is shared. */
    readPte: {
      footprint: (s, f, ctx) =>
        vpn(f) >= end(f) ? [] : (documented('readPte').footprint?.(s, f, ctx) ?? []),
      run(s, f, ctx) {
        if (vpn(f) >= end(f)) return 'release';
        const next = documented('readPte').run(s, f, ctx);
        if (next !== 'writePte' || f.locals.type === 'FILE') return next;
        f.locals.ci = 0;
        return 'protect';
      },
    },
    /** One remote read-modify-write of the entry in the next copy holding it: COW set, WRITABLE cleared. */
    protect: {
      footprint: (s, f) => {
        const cxy = holders(s, f)[f.locals.ci];
        const reads = [r(`proc.${srcPid(f)}.copies`)];
        return cxy === undefined ? reads : [...reads, w(ptePath(srcPid(f), cxy, vpn(f)))];
      },
      run(s, f) {
        const list = holders(s, f);
        const ci = f.locals.ci;
        const cxy = list[ci];
        const gpt = cxy === undefined ? undefined : proc(s, srcPid(f)).copy[cxy]?.gpt;
        const pte = gpt?.[vpn(f)];
        if (gpt && isMapped(pte)) gpt[vpn(f)] = { attr: setCowAttr(pte.attr), ppn: pte.ppn };
        f.locals.ci = ci + 1;
        return ci + 1 < list.length ? 'protect' : 'writePte';
      },
    },
    writePte: documented('writePte'),
    incForks: documented('incForks'),
    /** End of the range: release the STACK exclusion. */
    release: {
      footprint: (_s, f) => [r(`proc.${srcPid(f)}.ref`)],
      run(s, f) {
        if (locksStackGpt(s, f))
          return call('remoteRwlockWrRelease', { lock: gptLockPath(srcPid(f), srcCxy(f)) }, 'done');
        f.locals.li = f.locals.base;
        return isStack(f) && g2(s) ? 'unlockStack' : ret();
      },
    },
    unlockStack: {
      footprint: () => [],
      run(_s, f) {
        const li = f.locals.li;
        if (li >= end(f)) return ret();
        f.locals.li = li + 1;
        return call('unlockPte', { gpt: gptPath(srcPid(f), srcCxy(f)), vpn: li }, 'unlockStack');
      },
    },
    done: { footprint: () => [], run: () => ret() },
  },
};

const protectedCopier = { forkCopyRange: 'forkCopyRangeProtected' };

/** forkCopy: each vseg's range copied by forkCopyRangeProtected. */
const copyingProtected = (base: P): P => ({
  ...base,
  steps: { ...base.steps, nextVseg: callingInstead(stepOf(base, 'nextVseg'), protectedCopier) },
});

/** threadUserFork: the stack copied by forkCopyRangeProtected; no halGptSetCow pass. */
const stackProtected = (base: P): P => ({
  ...base,
  steps: {
    ...base.steps,
    stackVseg: callingInstead(stepOf(base, 'stackVseg'), protectedCopier),
    parentCow: { ...stepOf(base, 'parentCow'), run: () => ret() },
  },
});

/** rpcProcessMakeFork: no setCow pass (step 4), on to registering the child. */
const withoutSetCow = (base: P): P => ({
  ...base,
  steps: { ...base.steps, setCow: { ...stepOf(base, 'setCow'), run: () => 'register' } },
});

export const forkProtectsParentFirst: Correction = {
  selected: (k) => k.forkProtectsParentFirst,
  procedures: {
    forkCopy: copyingProtected,
    threadUserFork: stackProtected,
    rpcProcessMakeFork: withoutSetCow,
  },
  adds: [forkCopyRangeProtected],
};
