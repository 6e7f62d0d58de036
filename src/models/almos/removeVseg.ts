/**
 * `vmm_remove_vseg` (shared/spec/almos-mkh.md, "removeVseg"), one copy at a time: the copy of the
 * cluster the running thread executes in (L). `vmm_delete_vseg` looks the vseg up in the local VSL
 * (VSL lock, read mode) by an address (`base`): absent -> nothing to do in this copy. Then, for each
 * vpn of the vseg, in order:
 * 1. read the local PTE (`hal_gpt_get_pte`); unmapped -> next vpn;
 * 2. reset it (`hal_gpt_reset_pte`: no GPT lock; in G2 this also clears a LOCKED bit);
 * 3. `refcount -= 1` (a remote atomic add on the page descriptor) and decide the release by type,
 *    knob `releasePolicy` (see `releaseRule`);
 * 4. forks test (under the page busylock): `forks > 0` -> decrement and keep, else release; the
 *    busylock is released before the page is freed (trunk order);
 * 5. release: `ppmFreePage` to the page's home cluster (G1 RPC_PMEM_RELEASE_PAGES if remote).
 * Then detach the vseg from the local VSL (VSL lock, write mode): `vseg_detach` of the vseg found,
 * one entry (a VSL holding a duplicate keeps it).
 * Ghost (ghost.ts): from the reset to the release decision the thread holds the page (`unmapped`), and
 * the page's refcount counts one PTE too many until step 3 (`refcountPending` +1).
 * Locals in: `pid`, `base`. Returns null. `rpcVmmRemoveVseg` is the RPC_VMM_REMOVE_VSEG handler: it
 * runs `removeVseg` in the target cluster's server thread.
 * Corrected variant (not in the kernel): corrections/munmapDetachFirst.ts (G2 locks each PTE before
 * resetting it; the detach drops the reference's "being deleted" mark).
 */
import type { Frame, Procedure } from '../../engine/types.js';
import { call, ret } from '../../engine/types.js';
import { isMapped } from '../../hw/pte.js';
import { addPending, heldPath, hold, pendingPath, release } from './ghost.js';
import type { Knobs } from './knobs.js';
import type { AlmosShared, PageDesc, Vseg, VsegType } from './state.js';
import { isPublic } from './state.js';
import { copyIn, findVseg, here, proc, ptePath, r, vslLockPath, vslLocks, vslPath, w } from './util.js';

/**
 * Locals: `pid`, `base` in; `vseg` (the local vseg holding `base`, or null), `vpn` (the scan's
 * position), `ppn` (the page of the entry being reset), `release` (the forks test said: free it).
 */
export type RemoveVsegLocals = {
  pid: number;
  base: number;
  vseg: Vseg | null;
  vpn: number;
  ppn: number;
  release: boolean;
};
type P = Procedure<AlmosShared, RemoveVsegLocals>;
type F = Frame<RemoveVsegLocals>;

const pid = (f: F) => f.locals.pid;
const vpn = (f: F) => f.locals.vpn;
const ppn = (f: F) => f.locals.ppn;
const vseg = (f: F) => f.locals.vseg;
const pageLock = (f: F) => `page.${ppn(f)}.lock`;

export type Release = 'free' | 'keep' | 'forksTest';

/**
 * The release decision for one unmapped page of a `type` vseg. `authoritative`: the copy being
 * cleaned is the reference (public vsegs); private vsegs live in one copy only, which is theirs.
 * - asRecalled (trunk's code): CODE/STACK always freed; ANON/REMOTE freed in the reference only; DATA
 *   in the reference: the forks test; FILE never.
 * - forksAware: CODE replicas freed in their cluster; FILE never; every anonymous type (DATA, ANON,
 *   REMOTE, STACK) takes the forks test in its authoritative copy and is kept elsewhere.
 */
export function releaseRule(policy: Knobs['releasePolicy'], type: VsegType, authoritative: boolean): Release {
  if (type === 'FILE') return 'keep';
  if (type === 'CODE') return 'free';
  if (policy === 'forksAware') return authoritative ? 'forksTest' : 'keep';
  if (type === 'STACK') return 'free';
  if (type === 'ANON' || type === 'REMOTE') return authoritative ? 'free' : 'keep';
  return authoritative ? 'forksTest' : 'keep';
}

/** The release rule for the page of the current vpn, in the copy of cluster `cxy`. */
function rule(s: AlmosShared, f: F, cxy: number): Release {
  const v = vseg(f) as Vseg;
  const authoritative = !isPublic(v.type) || cxy === proc(s, pid(f)).ref;
  return releaseRule(s.knobs.releasePolicy, v.type, authoritative);
}

export const removeVseg: P = {
  name: 'removeVseg',
  entry: 'lockVsl',
  steps: {
    lockVsl: {
      footprint: () => [],
      run: (s, f, ctx) => call(vslLocks(s)[0], { lock: vslLockPath(pid(f), here(s, ctx)) }, 'lookup'),
    },
    lookup: {
      footprint: (s, f, ctx) => [r(vslPath(pid(f), here(s, ctx)))],
      run(s, f, ctx) {
        const v = findVseg(copyIn(s, pid(f), here(s, ctx)).vsl, f.locals.base);
        f.locals.vseg = v === undefined ? null : { ...v };
        f.locals.vpn = v === undefined ? -1 : v.base;
        return call(vslLocks(s)[1], { lock: vslLockPath(pid(f), here(s, ctx)) }, 'getPte');
      },
    },
    getPte: {
      footprint: (s, f, ctx) => {
        const v = vseg(f);
        return v !== null && vpn(f) < v.base + v.size ? [r(ptePath(pid(f), here(s, ctx), vpn(f)))] : [];
      },
      run(s, f, ctx) {
        const v = vseg(f);
        if (v === null) return ret(null);
        if (vpn(f) >= v.base + v.size) {
          return call(vslLocks(s)[2], { lock: vslLockPath(pid(f), here(s, ctx)) }, 'detach');
        }
        const pte = copyIn(s, pid(f), here(s, ctx)).gpt[vpn(f)];
        if (!isMapped(pte)) {
          f.locals.vpn = vpn(f) + 1;
          return 'getPte';
        }
        f.locals.ppn = pte.ppn;
        return 'resetPte';
      },
    },
    resetPte: {
      footprint: (s, f, ctx) => [
        w(ptePath(pid(f), here(s, ctx), vpn(f))),
        w(heldPath(ppn(f))),
        w(pendingPath(ppn(f))),
      ],
      run(s, f, ctx) {
        delete copyIn(s, pid(f), here(s, ctx)).gpt[vpn(f)];
        hold(s, ppn(f), ctx.tid, 'unmapped');
        addPending(s, ppn(f), 1);
        return 'decRefcount';
      },
    },
    decRefcount: {
      footprint: (s, f, ctx) => [
        w(`page.${ppn(f)}.refcount`),
        w(pendingPath(ppn(f))),
        ...(rule(s, f, here(s, ctx)) === 'keep' ? [w(heldPath(ppn(f)))] : []),
      ],
      run(s, f, ctx) {
        (s.page[ppn(f)] as PageDesc).refcount--;
        addPending(s, ppn(f), -1);
        const decided = rule(s, f, here(s, ctx));
        if (decided === 'forksTest') return call('busylockAcquire', { lock: pageLock(f) }, 'readForks');
        f.locals.vpn = vpn(f) + 1;
        if (decided === 'free') return call('ppmFreePage', { ppn: ppn(f) }, 'getPte');
        release(s, ppn(f), ctx.tid);
        return 'getPte';
      },
    },
    /** The decision, under the busylock: keep (another holder takes the page over) or release it. */
    readForks: {
      footprint: (_s, f) => [w(`page.${ppn(f)}.forks`), w(heldPath(ppn(f)))],
      run(s, f, ctx) {
        const page = s.page[ppn(f)] as PageDesc;
        f.locals.release = page.forks === 0;
        if (page.forks > 0) {
          page.forks--;
          release(s, ppn(f), ctx.tid);
        }
        return call('busylockRelease', { lock: pageLock(f) }, 'afterForks');
      },
    },
    afterForks: {
      footprint: () => [],
      run(_s, f) {
        f.locals.vpn = vpn(f) + 1;
        return f.locals.release ? call('ppmFreePage', { ppn: ppn(f) }, 'getPte') : 'getPte';
      },
    },
    detach: {
      footprint: (s, f, ctx) => [w(vslPath(pid(f), here(s, ctx)))],
      run(s, f, ctx) {
        const copy = copyIn(s, pid(f), here(s, ctx));
        const base = (vseg(f) as Vseg).base;
        const i = copy.vsl.findIndex((x) => x.base === base);
        if (i >= 0) copy.vsl.splice(i, 1);
        return call(vslLocks(s)[3], { lock: vslLockPath(pid(f), here(s, ctx)) }, 'done');
      },
    },
    done: { footprint: () => [], run: () => ret(null) },
  },
};

/** RPC_VMM_REMOVE_VSEG handler (the target cluster's server). Locals: `pid`, `base`. */
export const rpcVmmRemoveVseg: P = {
  name: 'rpcVmmRemoveVseg',
  entry: 'remove',
  steps: {
    remove: {
      footprint: () => [],
      run: (_s, f) => call('removeVseg', { pid: pid(f), base: f.locals.base }, 'reply'),
    },
    reply: { footprint: () => [], run: () => ret(0) },
  },
};
