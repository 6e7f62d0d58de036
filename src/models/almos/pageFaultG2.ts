/**
 * `vmm_handle_page_fault`, G2 (trunk 2019-2020): no GPT lock, PTE LOCKED bits. Locals in: `pid`,
 * `vpn`. Lock the local PTE (wait while locked); if mapped meanwhile, unlock and return; private or
 * local == reference: allocate and set_pte local (unlocks); else lock the reference PTE (order: local
 * then reference); if unmapped allocate and set_pte reference (unlocks) else unlock it; set_pte local
 * with the reference value (unlocks).
 * Corrected variants (not in the kernel): corrections/faultHoldsRefLock.ts (the local set_pte comes
 * before the reference PTE is unlocked), corrections/munmapDetachFirst.ts (a public fault re-checks
 * its vseg under the local PTE lock).
 */
import type { Frame, Procedure } from '../../engine/types.js';
import { call, ret } from '../../engine/types.js';
import { isMapped, PTE, type Pte } from '../../hw/pte.js';
import { setPte, setPteFootprint, vsegAttr } from './gpt.js';
import type { AlmosShared, Vseg } from './state.js';
import { isPublic } from './state.js';
import type { ExceptionResult } from './user.js';
import { gptPath, here, mapperPage, placement, proc } from './util.js';

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
        return call('lockPte', { gpt: gptPath(pid(f), here(s, ctx)), vpn: vpn(f) }, 'checkLocal', 'old');
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
        setPte(s, pid(f), refOf(s, f), vpn(f), pte);
        f.locals.refPte = pte;
        return 'setLocalFromRef';
      },
    },
    setLocalFromRef: {
      footprint: (s, f, ctx) => setPteFootprint(pid(f), here(s, ctx), vpn(f), f.locals.refPte.ppn),
      run(s, f, ctx) {
        setPte(s, pid(f), here(s, ctx), vpn(f), f.locals.refPte);
        return 'done';
      },
    },
    done: {
      footprint: () => [],
      run: (_s, f) => ret(f.locals.result ?? 'NON_FATAL'),
    },
  },
};
