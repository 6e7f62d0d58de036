/**
 * Correction, knob `setCowLocksRefPte`, G2 only (not in the kernel; test/almos/forkCorrected.test.ts):
 * documented, setCow walks copy by copy, one PTE at a time with no lock, so a fault or a COW of the
 * same vpn in another cluster can set a stale writable entry behind the walk. Corrected, setCow walks
 * the reference vsegs and hands each, whole, to `setCowByVpn` (setCowByVpn.ts): vpn by vpn, under the
 * reference PTE lock of the vpn, which serializes it against the faults and COWs of that vpn in every
 * cluster. (G1: forkHoldsGptLock.ts.) Overrides `setCowTakesPteLock` for the public vsegs.
 */
import type { Procedure } from '../../../engine/types.js';
import { call, ret } from '../../../engine/types.js';
import { COW_TYPES } from '../gpt.js';
import type { SetCowLocals } from '../setCow.js';
import type { AlmosShared, VsegType } from '../state.js';
import { proc } from '../util.js';
import { type Correction, stepOf } from './correction.js';
import { setCowByVpn } from './setCowByVpn.js';

function lockingRefPte(base: Procedure<AlmosShared, SetCowLocals>): Procedure<AlmosShared, SetCowLocals> {
  return {
    ...base,
    steps: {
      ...base.steps,
      /** The next DATA/ANON/REMOTE vseg of the reference VSL, handed whole to setCowByVpn. */
      nextRange: {
        ...stepOf(base, 'nextRange'),
        run(s, f) {
          const p = proc(s, f.locals.pid);
          const vsl = p.copy[p.ref]?.vsl ?? [];
          let vi = f.locals.vi ?? 0;
          while (vi < vsl.length && !COW_TYPES.includes(vsl[vi]?.type as VsegType)) vi++;
          const v = vsl[vi];
          if (v === undefined) return ret();
          f.locals.vi = vi + 1;
          return call('setCowByVpn', { pid: p.pid, base: v.base, size: v.size, vpn: v.base }, 'nextRange');
        },
      },
    },
  };
}

export const setCowLocksRefPte: Correction = {
  selected: (k) => k.generation === 'G2' && k.setCowLocksRefPte,
  procedures: { setCow: lockingRefPte },
  adds: [setCowByVpn],
};
