/**
 * `vmm_get_vseg(process, vpn)`: look in the local VSL under its lock (read mode in G1); if absent and
 * the running cluster is the reference, the address is illegal; else fetch the vseg from the
 * reference VSL (G1: RPC_VMM_GET_VSEG; G2: remote read under the reference VSL queuelock), build a
 * local copy and attach it (VSL lock, write mode). Locals in: `pid`, `vpn`. Returns the vseg or null.
 * As r585 documents it, the attach (vseg_alloc, vseg_init_from_ref, vseg_attach) does not look at the
 * local VSL again: two threads of one cluster that both missed the vseg attach it twice.
 * Corrected variants (not in the kernel): corrections/attachRecheck.ts (the attach looks the vpn up in
 * the local VSL again), corrections/munmapDetachFirst.ts (the attach re-checks the vseg in the
 * reference VSL).
 */
import type { Frame, Procedure } from '../../engine/types.js';
import { call, ret } from '../../engine/types.js';
import { rpc } from './rpc.js';
import type { AlmosShared, Vseg } from './state.js';
import { copyIn, findVseg, here, proc, r, vslLockPath, vslLocks, vslPath, w } from './util.js';

/** Locals: `pid`, `vpn` in; `vseg` (a copy of the vseg found, or null). */
export type GetVsegLocals = { pid: number; vpn: number; vseg: Vseg | null };
type P = Procedure<AlmosShared, GetVsegLocals>;

const pidOf = (f: Frame<GetVsegLocals>) => f.locals.pid;

export const getVseg: P = {
  name: 'getVseg',
  entry: 'lockLocal',
  steps: {
    lockLocal: {
      footprint: () => [],
      run: (s, f, ctx) => call(vslLocks(s)[0], { lock: vslLockPath(pidOf(f), here(s, ctx)) }, 'lookupLocal'),
    },
    lookupLocal: {
      footprint: (s, f, ctx) => [r(vslPath(pidOf(f), here(s, ctx)))],
      run(s, f, ctx) {
        const v = findVseg(copyIn(s, pidOf(f), here(s, ctx)).vsl, f.locals.vpn);
        f.locals.vseg = v === undefined ? null : { ...v };
        return call(vslLocks(s)[1], { lock: vslLockPath(pidOf(f), here(s, ctx)) }, 'afterLocal');
      },
    },
    afterLocal: {
      footprint: () => [],
      run(s, f, ctx) {
        if (f.locals.vseg !== null) return ret(f.locals.vseg);
        const ref = proc(s, pidOf(f)).ref;
        if (ref === here(s, ctx)) return ret(null);
        if (s.knobs.generation === 'G1') {
          return rpc(ref, 'GET_VSEG', { pid: pidOf(f), vpn: f.locals.vpn }, 'gotRef', 'vseg');
        }
        return call(vslLocks(s)[0], { lock: vslLockPath(pidOf(f), ref) }, 'readRef');
      },
    },
    readRef: {
      footprint: (s, f) => [r(vslPath(pidOf(f), proc(s, pidOf(f)).ref))],
      run(s, f) {
        const ref = proc(s, pidOf(f)).ref;
        const v = findVseg(copyIn(s, pidOf(f), ref).vsl, f.locals.vpn);
        f.locals.vseg = v === undefined ? null : { ...v };
        return call(vslLocks(s)[1], { lock: vslLockPath(pidOf(f), ref) }, 'gotRef');
      },
    },
    gotRef: {
      footprint: () => [],
      run(s, f, ctx) {
        if (f.locals.vseg === null) return ret(null);
        return call(vslLocks(s)[2], { lock: vslLockPath(pidOf(f), here(s, ctx)) }, 'attach');
      },
    },
    attach: {
      footprint: (s, f, ctx) => [w(vslPath(pidOf(f), here(s, ctx)))],
      run(s, f, ctx) {
        const vsl = copyIn(s, pidOf(f), here(s, ctx)).vsl;
        vsl.push({ ...(f.locals.vseg as Vseg) });
        vsl.sort((a, b) => a.base - b.base);
        return call(vslLocks(s)[3], { lock: vslLockPath(pidOf(f), here(s, ctx)) }, 'done');
      },
    },
    done: { footprint: () => [], run: (_s, f) => ret(f.locals.vseg) },
  },
};

/** RPC_VMM_GET_VSEG handler, run by the reference cluster's server. Locals: `pid`, `vpn`. */
export const rpcVmmGetVseg: P = {
  name: 'rpcVmmGetVseg',
  entry: 'lock',
  steps: {
    lock: {
      footprint: () => [],
      run: (s, f, ctx) => call(vslLocks(s)[0], { lock: vslLockPath(pidOf(f), here(s, ctx)) }, 'lookup'),
    },
    lookup: {
      footprint: (s, f, ctx) => [r(vslPath(pidOf(f), here(s, ctx)))],
      run(s, f, ctx) {
        const v = findVseg(copyIn(s, pidOf(f), here(s, ctx)).vsl, f.locals.vpn);
        f.locals.vseg = v === undefined ? null : { ...v };
        return call(vslLocks(s)[1], { lock: vslLockPath(pidOf(f), here(s, ctx)) }, 'reply');
      },
    },
    reply: { footprint: () => [], run: (_s, f) => ret(f.locals.vseg) },
  },
};
