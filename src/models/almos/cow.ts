/**
 * `vmm_handle_cow`, G1 (r585; shared/spec/almos-mkh.md, "handleCow, G1"). Locals in: `pid`, `vpn`.
 * Returns an ExceptionResult.
 * 1. vseg = getVseg; not found -> KERNEL_PANIC.
 * 2. G = private ? gpt(L) : gpt(R); write-lock G; read the PTE; unmapped -> KERNEL_PANIC (after
 *    unlocking). Knob `cowRecheck`: the COW bit is re-checked under the lock (r585 does not); no longer
 *    COW -> unlock, NON_FATAL (someone else broke the COW, the access is retried).
 * 3. take the page's busylock; if forks > 0: allocate a page in placement(vseg) (maybe an RPC while
 *    holding the busylock: faithful, a lockDiscipline finding), copy the old frame into it, forks -= 1;
 *    else reuse the page. Release the busylock. ENOMEM: release, unlock G, return ENOMEM.
 * 4. new attr = (old | WRITABLE) & ~COW.
 * 5. private: set the PTE in G. public: globalUpdatePte (L != R: RPC_VMM_GLOBAL_UPDATE_PTE to R while
 *    holding the write lock on G; L == R: a direct call).
 * 6. unlock G; NON_FATAL.
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
import { rpc } from './rpc.js';
import type { AlmosShared, PageDesc } from './state.js';
import { isPublic } from './state.js';
import { copyIn, gptLockPath, here, placement, proc, ptePath, r, w } from './util.js';

type P = Procedure<AlmosShared, CowLocals>;
type F = CowFrame;

const unlockG = (f: F, next: string) =>
  call('remoteRwlockWrRelease', { lock: gptLockPath(pid(f), gcxy(f)) }, next);

export const handleCow: P = {
  name: 'handleCow',
  entry: 'getVseg',
  steps: {
    getVseg: {
      footprint: () => [],
      run: (_s, f) => call('getVseg', { pid: pid(f), vpn: vpn(f) }, 'lockGpt', 'vseg'),
    },
    lockGpt: {
      footprint: (_s, f) => panicFootprint(f.locals.vseg === null),
      run(s, f, ctx) {
        if (f.locals.vseg === null) {
          kernelPanic(s, `handleCow: vpn ${vpn(f)} of P${pid(f)} is in no registered vseg`);
          return ret('KERNEL_PANIC');
        }
        f.locals.gcxy = isPublic(vseg(f).type) ? proc(s, pid(f)).ref : here(s, ctx);
        return call('remoteRwlockWrAcquire', { lock: gptLockPath(pid(f), gcxy(f)) }, 'readPte');
      },
    },
    readPte: {
      footprint: (s, f) => [
        r(ptePath(pid(f), gcxy(f), vpn(f))),
        ...panicFootprint(!isMapped(copyIn(s, pid(f), gcxy(f)).gpt[vpn(f)])),
      ],
      run(s, f) {
        const pte = copyIn(s, pid(f), gcxy(f)).gpt[vpn(f)];
        if (!isMapped(pte)) {
          kernelPanic(
            s,
            `handleCow: vpn ${vpn(f)} of P${pid(f)} is unmapped in gpt(c${gcxy(f)}) under its lock`,
          );
          f.locals.result = 'KERNEL_PANIC';
          return unlockG(f, 'done');
        }
        if (s.knobs.cowRecheck && (pte.attr & PTE.COW) === 0) {
          f.locals.result = 'NON_FATAL';
          return unlockG(f, 'done');
        }
        f.locals.old = { attr: pte.attr, ppn: pte.ppn };
        return call('busylockAcquire', { lock: oldLock(f) }, 'readForks');
      },
    },
    readForks: {
      footprint: (_s, f) => [r(`page.${old(f).ppn}.forks`)],
      run(s, f, ctx) {
        if ((s.page[old(f).ppn] as PageDesc).forks > 0) {
          const cxy = placement(s, vseg(f), vpn(f), here(s, ctx));
          return call('ppmAllocPage', { cxy }, 'allocated', 'ppn');
        }
        f.locals.ppn = old(f).ppn;
        return call('busylockRelease', { lock: oldLock(f) }, 'update');
      },
    },
    allocated: {
      footprint: () => [],
      run(_s, f) {
        if (f.locals.ppn >= 0) return 'copyPage';
        f.locals.result = 'ENOMEM';
        return call('busylockRelease', { lock: oldLock(f) }, 'unlockGpt');
      },
    },
    /** One remote read of the old frame and write of the new one. */
    copyPage: {
      footprint: (_s, f) => [r(`mem.${old(f).ppn}`), w(`mem.${f.locals.ppn}`)],
      run(s, f) {
        s.mem[f.locals.ppn] = [...(s.mem[old(f).ppn] as number[])];
        return 'decForks';
      },
    },
    decForks: {
      footprint: (_s, f) => [w(`page.${old(f).ppn}.forks`)],
      run(s, f) {
        (s.page[old(f).ppn] as PageDesc).forks--;
        return call('busylockRelease', { lock: oldLock(f) }, 'update');
      },
    },
    update: {
      footprint: () => [],
      run(s, f, ctx) {
        const attr = cowAttr(old(f).attr);
        f.locals.attr = attr;
        if (!isPublic(vseg(f).type)) return 'setPte';
        const args = { pid: pid(f), vpn: vpn(f), attr, ppn: f.locals.ppn };
        const ref = proc(s, pid(f)).ref;
        if (here(s, ctx) !== ref) return rpc(ref, 'GLOBAL_UPDATE_PTE', args, 'unlockGpt');
        return call('globalUpdatePte', args, 'unlockGpt');
      },
    },
    /** Private vseg: G is gpt(L). */
    setPte: {
      footprint: (s, f) => replacePteFootprint(s, pid(f), gcxy(f), vpn(f), f.locals.ppn),
      run(s, f) {
        replacePte(s, pid(f), gcxy(f), vpn(f), { attr: f.locals.attr, ppn: f.locals.ppn });
        return 'unlockGpt';
      },
    },
    unlockGpt: {
      footprint: () => [],
      run: (_s, f) => unlockG(f, 'done'),
    },
    done: {
      footprint: () => [],
      run: (_s, f) => ret(f.locals.result ?? 'NON_FATAL'),
    },
  },
};
