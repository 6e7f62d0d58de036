/**
 * Correction, knob `attachRecheck` (not in the kernel; docs/findings.md V1): r585 vmm_get_vseg
 * attaches the vseg fetched from the reference without looking at the local VSL again, so two threads
 * of one cluster that both missed the vseg attach it twice (vslNoOverlap). Corrected, under the local
 * VSL write lock the attach looks the vpn up in the local VSL again and, when a vseg is there already,
 * returns it instead of attaching another. Applied before munmapDetachFirst, whose re-check of the
 * reference runs first.
 */
import type { Procedure } from '../../../engine/types.js';
import { call } from '../../../engine/types.js';
import type { GetVsegLocals } from '../getVseg.js';
import type { AlmosShared } from '../state.js';
import { copyIn, findVseg, here, vslLockPath, vslLocks } from '../util.js';
import { type Correction, stepOf } from './correction.js';

function attachOnce(base: Procedure<AlmosShared, GetVsegLocals>): Procedure<AlmosShared, GetVsegLocals> {
  const attach = stepOf(base, 'attach');
  return {
    ...base,
    steps: {
      ...base.steps,
      /** The vseg already in the local VSL, if any, else the attach as documented. */
      attach: {
        ...attach,
        run(s, f, ctx) {
          const there = findVseg(copyIn(s, f.locals.pid, here(s, ctx)).vsl, f.locals.vpn);
          if (there === undefined) return attach.run(s, f, ctx);
          f.locals.vseg = { ...there };
          return call(vslLocks(s)[3], { lock: vslLockPath(f.locals.pid, here(s, ctx)) }, 'done');
        },
      },
    },
  };
}

export const attachRecheck: Correction = {
  selected: (k) => k.attachRecheck,
  procedures: { getVseg: attachOnce },
  adds: [],
};
