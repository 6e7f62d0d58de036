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
 * Knob `munmapProtocol = detachFirst` (corrected, vsegDeleting.ts): before the walk, write-lock the
 * reference VSL, mark the vseg as being deleted (`markDeleting`), unlock; then walk with the reference
 * last whatever `copyOrder` says, running `removeVsegLocked` in each copy.
 */
import * as spec from '../../../spec/memory.js';
import type { Procedure } from '../../engine/types.js';
import { call, ret } from '../../engine/types.js';
import { copyWalk, removeIn } from './copyWalk.js';
import type { AlmosShared, Vseg } from './state.js';
import { isPublic } from './state.js';
import { here, me, proc, r, vslLockPath, vslLocks, w } from './util.js';
import { detachFirst, markDeleting, markFootprint } from './vsegDeleting.js';

type P = Procedure<AlmosShared>;
type F = { locals: { [k: string]: unknown } };

const pidOf = (s: AlmosShared, tid: number) => (s.thread[tid] as { pid: number }).pid;

function nextCopy(s: AlmosShared, f: F, local: number) {
  const walk = f.locals.walk as number[];
  const i = f.locals.i as number;
  if (i >= walk.length) return ret(0);
  f.locals.i = i + 1;
  const [pid, base] = [f.locals.pid as number, f.locals.base as number];
  return removeIn(local, walk[i] as number, pid, base, 'next', detachFirst(s));
}

export const globalDeleteVseg: P = {
  name: 'globalDeleteVseg',
  entry: 'readCopies',
  steps: {
    readCopies: {
      footprint: (_s, f) => [r(`proc.${f.locals.pid}.copies`), r(`proc.${f.locals.pid}.ref`)],
      run(s, f, ctx) {
        const p = proc(s, f.locals.pid as number);
        f.locals.walk = copyWalk(p.copies, p.ref, detachFirst(s) ? 'refLast' : s.knobs.copyOrder);
        f.locals.i = 0;
        if (detachFirst(s)) return call(vslLocks(s)[2], { lock: vslLockPath(p.pid, p.ref) }, 'markDeleting');
        return nextCopy(s, f, here(s, ctx));
      },
    },
    markDeleting: {
      footprint: (s, f) => markFootprint(s, f.locals.pid as number),
      run(s, f) {
        const p = proc(s, f.locals.pid as number);
        markDeleting(s, p.pid, f.locals.base as number);
        return call(vslLocks(s)[3], { lock: vslLockPath(p.pid, p.ref) }, 'next');
      },
    },
    next: { footprint: () => [], run: (s, f, ctx) => nextCopy(s, f, here(s, ctx)) },
  },
};

export const sysMunmap: P = {
  name: 'sysMunmap',
  entry: 'getVseg',
  steps: {
    getVseg: {
      footprint: () => [],
      run: (s, f, ctx) =>
        call('getVseg', { pid: me(s, ctx).pid, vpn: f.locals.base as number }, 'check', 'vseg'),
    },
    check: {
      footprint: (s, _f, tid) => [w(`ghost.spec.procs.${pidOf(s, tid)}`)],
      run(s, f, ctx) {
        const v = f.locals.vseg as unknown as Vseg | null;
        const base = f.locals.base as number;
        if (v === null || v.base !== base || !isPublic(v.type)) return ret(-1);
        const pid = me(s, ctx).pid;
        spec.unmapStart(s.ghost.spec, pid, base);
        return call('globalDeleteVseg', { pid, base }, 'done');
      },
    },
    done: {
      footprint: (s, _f, tid) => [w(`ghost.spec.procs.${pidOf(s, tid)}`)],
      run(s, f, ctx) {
        spec.unmapDone(s.ghost.spec, me(s, ctx).pid, f.locals.base as number);
        return ret(0);
      },
    },
  },
};
