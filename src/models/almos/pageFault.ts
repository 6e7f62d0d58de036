/**
 * `vmm_handle_page_fault`, G1 (r585). Locals in: `pid`, `vpn`. Returns an ExceptionResult.
 * 1. vseg = getVseg; not found -> USER_ERROR.
 * 2. private (STACK, CODE): write-lock gpt(L); if still unmapped allocate a local page (CODE: filled
 *    from the .elf mapper), set the PTE; unlock.
 * 3. public: read-lock gpt(R), read the reference PTE, unlock.
 *    mapped (false page fault): write-lock gpt(L); if still unmapped copy the PTE read in 3; unlock.
 *    unmapped (true page fault): write-lock gpt(R); re-read; if still unmapped allocate a page in
 *    target(vpn) (FILE: the mapper's page), set it in gpt(R), then in gpt(L) without gpt(L)'s lock;
 *    unlock gpt(R). Mapped meanwhile: nothing to do, the retry takes the false-fault path.
 * Corrected variants (not in the kernel): corrections/faultHoldsRefLock.ts (the false fault keeps
 * gpt(R) read-locked until the local copy is set), corrections/munmapDetachFirst.ts (a public fault
 * re-checks its vseg under the lock it maps under).
 */
import type { Frame, Procedure } from '../../engine/types.js';
import { call, ret } from '../../engine/types.js';
import { isMapped, type Pte } from '../../hw/pte.js';
import { setPte, setPteFootprint, vsegAttr } from './gpt.js';
import type { AlmosShared, Vseg } from './state.js';
import { isPublic } from './state.js';
import type { ExceptionResult } from './user.js';
import { copyIn, gptLockPath, here, mapperPage, placement, proc, ptePath, r, w } from './util.js';

/**
 * Locals: `pid`, `vpn` in; `vseg` (getVseg's result), `ppn` (the page to map), `refPte` (the
 * reference entry read by the public path, null if unmapped), `result` (an early exit's; else NON_FATAL).
 */
export type PageFaultLocals = {
  pid: number;
  vpn: number;
  vseg: Vseg | null;
  ppn: number;
  refPte: Pte | null;
  result?: ExceptionResult;
};
type P = Procedure<AlmosShared, PageFaultLocals>;
type F = Frame<PageFaultLocals>;

const pid = (f: F) => f.locals.pid;
const vpn = (f: F) => f.locals.vpn;
/** The vseg, once getVseg found it. */
const vseg = (f: F) => f.locals.vseg as Vseg;
const refOf = (s: AlmosShared, f: F) => proc(s, pid(f)).ref;
const refRdRelease = (s: AlmosShared, f: F, next: string) =>
  call('remoteRwlockRdRelease', { lock: gptLockPath(pid(f), refOf(s, f)) }, next);

export const handlePageFault: P = {
  name: 'handlePageFault',
  entry: 'getVseg',
  steps: {
    getVseg: {
      footprint: () => [],
      run: (_s, f) => call('getVseg', { pid: pid(f), vpn: vpn(f) }, 'gotVseg', 'vseg'),
    },
    gotVseg: {
      footprint: () => [],
      run(s, f, ctx) {
        if (f.locals.vseg === null) return ret('USER_ERROR');
        if (!isPublic(vseg(f).type)) {
          return call('remoteRwlockWrAcquire', { lock: gptLockPath(pid(f), here(s, ctx)) }, 'privRead');
        }
        return call('remoteRwlockRdAcquire', { lock: gptLockPath(pid(f), refOf(s, f)) }, 'pubReadRef');
      },
    },
    privRead: {
      footprint: (s, f, ctx) => [r(ptePath(pid(f), here(s, ctx), vpn(f)))],
      run(s, f, ctx) {
        if (isMapped(copyIn(s, pid(f), here(s, ctx)).gpt[vpn(f)])) return 'privUnlock';
        return call('ppmAllocPage', { cxy: here(s, ctx) }, 'privAllocated', 'ppn');
      },
    },
    privAllocated: {
      footprint: (s, f) => {
        const vs = vseg(f);
        return vs.type === 'CODE' && f.locals.ppn >= 0
          ? [r(`mem.${mapperPage(s, vs, vpn(f))}`), w(`mem.${f.locals.ppn}`)]
          : [];
      },
      run(s, f) {
        const ppn = f.locals.ppn;
        if (ppn < 0) {
          f.locals.result = 'ENOMEM';
          return 'privUnlock';
        }
        // CODE pages are replicated per cluster: copy the .elf mapper page (a remote read).
        if (vseg(f).type === 'CODE') s.mem[ppn] = [...(s.mem[mapperPage(s, vseg(f), vpn(f))] as number[])];
        return 'privSet';
      },
    },
    privSet: {
      footprint: (s, f, ctx) => setPteFootprint(pid(f), here(s, ctx), vpn(f), f.locals.ppn),
      run(s, f, ctx) {
        setPte(s, pid(f), here(s, ctx), vpn(f), { attr: vsegAttr(vseg(f)), ppn: f.locals.ppn });
        return 'privUnlock';
      },
    },
    privUnlock: {
      footprint: () => [],
      run: (s, f, ctx) => call('remoteRwlockWrRelease', { lock: gptLockPath(pid(f), here(s, ctx)) }, 'done'),
    },
    pubReadRef: {
      footprint: (s, f) => [r(ptePath(pid(f), refOf(s, f), vpn(f)))],
      run(s, f) {
        const pte = copyIn(s, pid(f), refOf(s, f)).gpt[vpn(f)];
        f.locals.refPte = isMapped(pte) ? { attr: pte.attr, ppn: pte.ppn } : null;
        return refRdRelease(s, f, 'pubDecide');
      },
    },
    /** Mapped: a false page fault (copy the reference entry); unmapped: a true one (allocate). */
    pubDecide: {
      footprint: () => [],
      run(s, f, ctx) {
        if (f.locals.refPte !== null) {
          return call('remoteRwlockWrAcquire', { lock: gptLockPath(pid(f), here(s, ctx)) }, 'falseCopy');
        }
        return call('remoteRwlockWrAcquire', { lock: gptLockPath(pid(f), refOf(s, f)) }, 'trueReread');
      },
    },
    falseCopy: {
      footprint: (s, f, ctx) => {
        const pte = f.locals.refPte as Pte;
        return [
          r(ptePath(pid(f), here(s, ctx), vpn(f))),
          ...setPteFootprint(pid(f), here(s, ctx), vpn(f), pte.ppn),
        ];
      },
      run(s, f, ctx) {
        if (!isMapped(copyIn(s, pid(f), here(s, ctx)).gpt[vpn(f)])) {
          setPte(s, pid(f), here(s, ctx), vpn(f), f.locals.refPte as Pte);
        }
        return call('remoteRwlockWrRelease', { lock: gptLockPath(pid(f), here(s, ctx)) }, 'done');
      },
    },
    trueReread: {
      footprint: (s, f) => [r(ptePath(pid(f), refOf(s, f), vpn(f)))],
      run(s, f, ctx) {
        if (isMapped(copyIn(s, pid(f), refOf(s, f)).gpt[vpn(f)])) return 'trueUnlock';
        const vs = vseg(f);
        if (vs.type === 'FILE') {
          f.locals.ppn = mapperPage(s, vs, vpn(f));
          return 'trueSetRef';
        }
        return call('ppmAllocPage', { cxy: placement(s, vs, vpn(f), here(s, ctx)) }, 'trueAllocated', 'ppn');
      },
    },
    trueAllocated: {
      footprint: () => [],
      run(_s, f) {
        if (f.locals.ppn >= 0) return 'trueSetRef';
        f.locals.result = 'ENOMEM';
        return 'trueUnlock';
      },
    },
    trueSetRef: {
      footprint: (s, f) => setPteFootprint(pid(f), refOf(s, f), vpn(f), f.locals.ppn),
      run(s, f) {
        setPte(s, pid(f), refOf(s, f), vpn(f), { attr: vsegAttr(vseg(f)), ppn: f.locals.ppn });
        return 'trueSetLocal';
      },
    },
    trueSetLocal: {
      footprint: (s, f, ctx) => setPteFootprint(pid(f), here(s, ctx), vpn(f), f.locals.ppn),
      run(s, f, ctx) {
        if (here(s, ctx) !== refOf(s, f)) {
          setPte(s, pid(f), here(s, ctx), vpn(f), { attr: vsegAttr(vseg(f)), ppn: f.locals.ppn });
        }
        return 'trueUnlock';
      },
    },
    trueUnlock: {
      footprint: () => [],
      run: (s, f) => call('remoteRwlockWrRelease', { lock: gptLockPath(pid(f), refOf(s, f)) }, 'done'),
    },
    done: {
      footprint: () => [],
      run: (_s, f) => ret(f.locals.result ?? 'NON_FATAL'),
    },
  },
};
