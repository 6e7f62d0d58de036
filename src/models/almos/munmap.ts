/**
 * munmap (shared/spec/almos-mkh.md, "removeVseg"): `sys_munmap` and `vmm_global_delete_vseg`.
 *
 * `sysMunmap` (the calling thread, in L). Locals in: `base` (a vpn). Returns 0, or -1 (EINVAL).
 * 1. vseg = getVseg(base) (local VSL, else the reference VSL); no vseg, `base` not its first page, or
 *    a private vseg (CODE, STACK: not user-mapped) -> -1, nothing changes.
 * 2. the abstract region starts unmapping (spec.unmapStart: accesses may succeed or fault);
 *    globalDeleteVseg; the region is gone (spec.unmapDone) and the call returns 0.
 *
 * `globalDeleteVseg` (any cluster). Locals in: `pid`, `base`. Walks the owner's copies list of the
 * process in list order, the reference moved first or last (knob `copyOrder`), and runs removeVseg in
 * each copy's cluster: a direct call in L, RPC_VMM_REMOVE_VSEG elsewhere (G1 and G2). The list is read
 * once, at the start. A copy whose VSL does not hold the vseg is left as it is (vmm_delete_vseg).
 * Corrected variant (not in the kernel): corrections/munmapDetachFirst.ts (mark the vseg as being
 * deleted first, then clear each copy under locks, the reference last).
 */
import * as spec from '../../../spec/memory.js';
import type { Frame, Procedure } from '../../engine/types.js';
import { call, ret } from '../../engine/types.js';
import { copyWalk, removeIn } from './copyWalk.js';
import type { AlmosShared, Vseg } from './state.js';
import { isPublic } from './state.js';
import { here, me, proc, r, w } from './util.js';

/** globalDeleteVseg. Locals: `pid`, `base` in; `walk` (the copies, in walk order), `i` (the next). */
export type DeleteLocals = { pid: number; base: number; walk: number[]; i: number };
/** sysMunmap. Locals: `base` in; `vseg` (getVseg's result). */
type MunmapLocals = { base: number; vseg: Vseg | null };
type F = Frame<DeleteLocals>;

function nextCopy(f: F, local: number) {
  const { walk, i, pid, base } = f.locals;
  if (i >= walk.length) return ret(0);
  f.locals.i = i + 1;
  return removeIn(local, walk[i] as number, pid, base, 'next');
}

export const globalDeleteVseg: Procedure<AlmosShared, DeleteLocals> = {
  name: 'globalDeleteVseg',
  entry: 'readCopies',
  steps: {
    /** The owner's copies list, read once. */
    readCopies: {
      footprint: (_s, f) => [r(`proc.${f.locals.pid}.copies`), r(`proc.${f.locals.pid}.ref`)],
      run(s, f, ctx) {
        const p = proc(s, f.locals.pid);
        f.locals.walk = copyWalk(p.copies, p.ref, s.knobs.copyOrder);
        f.locals.i = 0;
        return nextCopy(f, here(s, ctx));
      },
    },
    next: { footprint: () => [], run: (s, f, ctx) => nextCopy(f, here(s, ctx)) },
  },
};

export const sysMunmap: Procedure<AlmosShared, MunmapLocals> = {
  name: 'sysMunmap',
  entry: 'getVseg',
  steps: {
    getVseg: {
      footprint: () => [],
      run: (s, f, ctx) => call('getVseg', { pid: me(s, ctx).pid, vpn: f.locals.base }, 'check', 'vseg'),
    },
    check: {
      footprint: (s, _f, ctx) => [w(`ghost.spec.procs.${me(s, ctx).pid}`)],
      run(s, f, ctx) {
        const v = f.locals.vseg;
        const base = f.locals.base;
        if (v === null || v.base !== base || !isPublic(v.type)) return ret(-1);
        const pid = me(s, ctx).pid;
        spec.unmapStart(s.ghost.spec, pid, base);
        return call('globalDeleteVseg', { pid, base }, 'done');
      },
    },
    done: {
      footprint: (s, _f, ctx) => [w(`ghost.spec.procs.${me(s, ctx).pid}`)],
      run(s, f, ctx) {
        spec.unmapDone(s.ghost.spec, me(s, ctx).pid, f.locals.base);
        return ret(0);
      },
    },
  },
};
