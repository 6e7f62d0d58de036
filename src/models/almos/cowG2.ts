/**
 * `vmm_handle_cow`, G2 (trunk 2019-2020; shared/spec/almos-mkh.md, "handleCow, G2"). Locals in:
 * `pid`, `vpn`. Returns an ExceptionResult.
 * 1. vseg = getVseg; not found -> KERNEL_PANIC.
 * 2. G = private ? gpt(L) : gpt(R); lock the PTE in G (lock_pte, returns the value); unmapped ->
 *    unlock, KERNEL_PANIC. Knob `cowRecheck`: no longer COW -> unlock, NON_FATAL.
 * 3. take the page's busylock; read forks; if forks > 0 decrement it; release the busylock — all
 *    BEFORE allocating. If there was a pending fork: allocate a page in placement(vseg) (direct
 *    remote access, no RPC) and copy the old frame with a remote-safe copy (one step); else reuse.
 *    ENOMEM: unlock the PTE, return ENOMEM (the decrement is not undone: faithful step order).
 * 4. new attr = (old | WRITABLE) & ~COW (& ~LOCKED).
 * 5. private: set_pte on the local entry (releases the PTE lock). public: globalUpdatePte from this
 *    cluster; its store into the reference entry is the set_pte that releases the PTE lock.
 * Corrected variant (not in the kernel): corrections/cowDecrementAfterUpdate.ts (forks only read in
 * step 3, decremented after step 5).
 * The two KERNEL_PANIC results are recorded with their condition (noKernelPanic).
 */
import type { Procedure } from '../../engine/types.js';
import { call, ret } from '../../engine/types.js';
import { isMapped, PTE } from '../../hw/pte.js';
import { type CowFrame, type CowLocals, gcxy, old, oldLock, pid, vpn, vseg } from './cowLocals.js';
import { kernelPanic, panicFootprint } from './ghost.js';
import { cowAttr, replacePte, replacePteFootprint } from './gpt.js';
import type { AlmosShared, PageDesc } from './state.js';
import { isPublic } from './state.js';
import { gptPath, here, placement, proc, r, w } from './util.js';

type P = Procedure<AlmosShared, CowLocals>;
type F = CowFrame;

const unlockG = (f: F, next: string) =>
  call('unlockPte', { gpt: gptPath(pid(f), gcxy(f)), vpn: vpn(f) }, next);

export const handleCowG2: P = {
  name: 'handleCowG2',
  entry: 'getVseg',
  steps: {
    getVseg: {
      footprint: () => [],
      run: (_s, f) => call('getVseg', { pid: pid(f), vpn: vpn(f) }, 'lockPte', 'vseg'),
    },
    lockPte: {
      footprint: (_s, f) => panicFootprint(f.locals.vseg === null),
      run(s, f, ctx) {
        if (f.locals.vseg === null) {
          kernelPanic(s, `handleCowG2: vpn ${vpn(f)} of P${pid(f)} is in no registered vseg`);
          return ret('KERNEL_PANIC');
        }
        f.locals.gcxy = isPublic(vseg(f).type) ? proc(s, pid(f)).ref : here(s, ctx);
        return call('lockPte', { gpt: gptPath(pid(f), gcxy(f)), vpn: vpn(f) }, 'checkPte', 'old');
      },
    },
    checkPte: {
      footprint: (_s, f) => panicFootprint(!isMapped(old(f))),
      run(s, f) {
        if (!isMapped(old(f))) {
          kernelPanic(s, `handleCowG2: vpn ${vpn(f)} of P${pid(f)} is unmapped in gpt(c${gcxy(f)})`);
          f.locals.result = 'KERNEL_PANIC';
          return unlockG(f, 'done');
        }
        if (s.knobs.cowRecheck && (old(f).attr & PTE.COW) === 0) {
          f.locals.result = 'NON_FATAL';
          return unlockG(f, 'done');
        }
        return call('busylockAcquire', { lock: oldLock(f) }, 'readForks');
      },
    },
    readForks: {
      footprint: (_s, f) => [r(`page.${old(f).ppn}.forks`)],
      run(s, f) {
        f.locals.forks = (s.page[old(f).ppn] as PageDesc).forks;
        return f.locals.forks > 0 ? 'decForks' : 'unlockPage';
      },
    },
    decForks: {
      footprint: (_s, f) => [w(`page.${old(f).ppn}.forks`)],
      run(s, f) {
        (s.page[old(f).ppn] as PageDesc).forks--;
        return 'unlockPage';
      },
    },
    unlockPage: {
      footprint: () => [],
      run: (_s, f) => call('busylockRelease', { lock: oldLock(f) }, 'allocate'),
    },
    allocate: {
      footprint: () => [],
      run(s, f, ctx) {
        if (f.locals.forks === 0) {
          f.locals.ppn = old(f).ppn;
          return 'update';
        }
        const cxy = placement(s, vseg(f), vpn(f), here(s, ctx));
        return call('ppmAllocPage', { cxy }, 'allocated', 'ppn');
      },
    },
    allocated: {
      footprint: () => [],
      run(_s, f) {
        if (f.locals.ppn >= 0) return 'copyPage';
        f.locals.result = 'ENOMEM';
        return unlockG(f, 'done');
      },
    },
    /** hal_remote_memcpy: one remote read of the old frame and write of the new one. */
    copyPage: {
      footprint: (_s, f) => [r(`mem.${old(f).ppn}`), w(`mem.${f.locals.ppn}`)],
      run(s, f) {
        s.mem[f.locals.ppn] = [...(s.mem[old(f).ppn] as number[])];
        return 'update';
      },
    },
    update: {
      footprint: () => [],
      run(_s, f) {
        const attr = cowAttr(old(f).attr);
        f.locals.attr = attr;
        if (!isPublic(vseg(f).type)) return 'setPte';
        return call('globalUpdatePte', { pid: pid(f), vpn: vpn(f), attr, ppn: f.locals.ppn }, 'done');
      },
    },
    /** Private vseg: set_pte on the local entry, which releases its lock. */
    setPte: {
      footprint: (s, f) => replacePteFootprint(s, pid(f), gcxy(f), vpn(f), f.locals.ppn),
      run(s, f) {
        replacePte(s, pid(f), gcxy(f), vpn(f), { attr: f.locals.attr, ppn: f.locals.ppn });
        return 'done';
      },
    },
    done: {
      footprint: () => [],
      run: (_s, f) => ret(f.locals.result ?? 'NON_FATAL'),
    },
  },
};
