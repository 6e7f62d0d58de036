/**
 * `vmm_handle_page_fault`, G2 (trunk 2019-2020): no GPT lock, PTE LOCKED bits. Locals in: `pid`,
 * `vpn`. Lock the local PTE (wait while locked); if mapped meanwhile, unlock and return; private or
 * local == reference: allocate and set_pte local (unlocks); else lock the reference PTE (order: local
 * then reference); if unmapped allocate and set_pte reference (unlocks) else unlock it; set_pte local
 * with the reference value (unlocks).
 * Knob `faultHoldsRefLock` (corrected): the local set_pte comes BEFORE the reference PTE is unlocked,
 * so a COW (which locks the reference PTE) cannot update the reference between the read and the
 * local set and skip the still unmapped local entry. True fault, symmetric: the new page is written
 * into the reference entry with LOCKED kept, then set_pte local, then unlock the reference.
 * Knob `munmapProtocol = detachFirst` (vsegDeleting.ts): holding the local PTE lock, a public fault
 * re-checks that its vseg is still in the reference VSL and not being deleted by a munmap; if not, it
 * unlocks the local PTE and returns USER_ERROR (munmap locks each PTE before resetting it).
 */
import type { Frame, Procedure } from '../../engine/types.js';
import { call, ret } from '../../engine/types.js';
import { isMapped, PTE, type Pte } from '../../hw/pte.js';
import { setPte, setPteFootprint, vsegAttr } from './gpt.js';
import type { AlmosShared, Vseg } from './state.js';
import { isPublic } from './state.js';
import type { ExceptionResult } from './user.js';
import { gptPath, here, mapperPage, placement, proc } from './util.js';
import { detachFirst, vsegAlive, vsegAliveFootprint } from './vsegDeleting.js';

/**
 * Locals: `pid`, `vpn` in; `vseg` (getVseg's result), `old` / `refOld` (the local / reference entry
 * as lock_pte returned it), `ppn` (the page to map), `refPte` (the value to copy into the local entry),
 * `result` (an early exit's; else NON_FATAL).
 */
export type PageFaultG2Locals = {
  pid: number;
  vpn: number;
  vseg: Vseg | null;
  old: Pte;
  refOld: Pte;
  ppn: number;
  refPte: Pte;
  result?: ExceptionResult;
};
type P = Procedure<AlmosShared, PageFaultG2Locals>;
type F = Frame<PageFaultG2Locals>;

const pid = (f: F) => f.locals.pid;
const vpn = (f: F) => f.locals.vpn;
/** The vseg, once getVseg found it. */
const vseg = (f: F) => f.locals.vseg as Vseg;
const refOf = (s: AlmosShared, f: F) => proc(s, pid(f)).ref;
const unlocked = (pte: Pte) => ({ attr: pte.attr & ~PTE.LOCKED, ppn: pte.ppn });
const unlockRef = (s: AlmosShared, f: F, next: string) =>
  call('unlockPte', { gpt: gptPath(pid(f), refOf(s, f)), vpn: vpn(f) }, next);

export const handlePageFaultG2: P = {
  name: 'handlePageFaultG2',
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
        const next = detachFirst(s) && isPublic(vseg(f).type) ? 'recheckVseg' : 'checkLocal';
        return call('lockPte', { gpt: gptPath(pid(f), here(s, ctx)), vpn: vpn(f) }, next, 'old');
      },
    },
    recheckVseg: {
      footprint: (s, f) => vsegAliveFootprint(s, pid(f)),
      run(s, f, ctx) {
        if (vsegAlive(s, pid(f), vseg(f))) return 'checkLocal';
        f.locals.result = 'USER_ERROR';
        return call('unlockPte', { gpt: gptPath(pid(f), here(s, ctx)), vpn: vpn(f) }, 'done');
      },
    },
    checkLocal: {
      footprint: () => [],
      run(s, f, ctx) {
        if (isMapped(f.locals.old)) {
          return call('unlockPte', { gpt: gptPath(pid(f), here(s, ctx)), vpn: vpn(f) }, 'done');
        }
        const vs = vseg(f);
        if (!isPublic(vs.type) || here(s, ctx) === refOf(s, f)) {
          if (vs.type === 'FILE') {
            f.locals.ppn = mapperPage(s, vs, vpn(f));
            return 'setLocal';
          }
          return call(
            'ppmAllocPage',
            { cxy: placement(s, vs, vpn(f), here(s, ctx)) },
            'allocatedLocal',
            'ppn',
          );
        }
        return call('lockPte', { gpt: gptPath(pid(f), refOf(s, f)), vpn: vpn(f) }, 'checkRef', 'refOld');
      },
    },
    allocatedLocal: {
      footprint: (s, f) =>
        vseg(f).type === 'CODE' && f.locals.ppn >= 0
          ? [
              { obj: `mem.${mapperPage(s, vseg(f), vpn(f))}`, write: false },
              { obj: `mem.${f.locals.ppn}`, write: true },
            ]
          : [],
      run(s, f, ctx) {
        const ppn = f.locals.ppn;
        if (ppn < 0) {
          f.locals.result = 'ENOMEM';
          return call('unlockPte', { gpt: gptPath(pid(f), here(s, ctx)), vpn: vpn(f) }, 'done');
        }
        if (vseg(f).type === 'CODE') s.mem[ppn] = [...(s.mem[mapperPage(s, vseg(f), vpn(f))] as number[])];
        return 'setLocal';
      },
    },
    setLocal: {
      footprint: (s, f, ctx) => setPteFootprint(pid(f), here(s, ctx), vpn(f), f.locals.ppn),
      run(s, f, ctx) {
        setPte(s, pid(f), here(s, ctx), vpn(f), { attr: vsegAttr(vseg(f)), ppn: f.locals.ppn });
        return 'done';
      },
    },
    checkRef: {
      footprint: () => [],
      run(s, f, ctx) {
        const old = f.locals.refOld;
        if (isMapped(old)) {
          f.locals.refPte = unlocked(old);
          if (s.knobs.faultHoldsRefLock) return 'setLocalFromRef';
          return unlockRef(s, f, 'setLocalFromRef');
        }
        const vs = vseg(f);
        if (vs.type === 'FILE') {
          f.locals.ppn = mapperPage(s, vs, vpn(f));
          return 'setRef';
        }
        return call('ppmAllocPage', { cxy: placement(s, vs, vpn(f), here(s, ctx)) }, 'allocatedRef', 'ppn');
      },
    },
    allocatedRef: {
      footprint: () => [],
      run(s, f) {
        if (f.locals.ppn >= 0) return 'setRef';
        f.locals.result = 'ENOMEM';
        return call('unlockPte', { gpt: gptPath(pid(f), refOf(s, f)), vpn: vpn(f) }, 'enomemUnlockLocal');
      },
    },
    enomemUnlockLocal: {
      footprint: () => [],
      run: (s, f, ctx) => call('unlockPte', { gpt: gptPath(pid(f), here(s, ctx)), vpn: vpn(f) }, 'done'),
    },
    setRef: {
      footprint: (s, f) => setPteFootprint(pid(f), refOf(s, f), vpn(f), f.locals.ppn),
      run(s, f) {
        const pte = { attr: vsegAttr(vseg(f)), ppn: f.locals.ppn };
        const held = s.knobs.faultHoldsRefLock ? PTE.LOCKED : 0;
        setPte(s, pid(f), refOf(s, f), vpn(f), { attr: pte.attr | held, ppn: pte.ppn });
        f.locals.refPte = pte;
        return 'setLocalFromRef';
      },
    },
    setLocalFromRef: {
      footprint: (s, f, ctx) => setPteFootprint(pid(f), here(s, ctx), vpn(f), f.locals.refPte.ppn),
      run(s, f, ctx) {
        setPte(s, pid(f), here(s, ctx), vpn(f), f.locals.refPte);
        return s.knobs.faultHoldsRefLock ? unlockRef(s, f, 'done') : 'done';
      },
    },
    done: {
      footprint: () => [],
      run: (_s, f) => ret(f.locals.result ?? 'NON_FATAL'),
    },
  },
};
