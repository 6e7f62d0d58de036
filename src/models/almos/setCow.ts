/**
 * `vmm_set_cow(process)` (shared/spec/almos-mkh.md, "fork" step 4), run in the reference cluster R of
 * the process (RPC_VMM_SET_COW, handler `rpcVmmSetCow`, when the caller runs elsewhere). Locals in:
 * `pid`. For every copy of the process (the owner's copies list, in list order), for every DATA/ANON/
 * REMOTE vseg of the reference VSL (read without the VSL lock): `halGptSetCow` on the vseg's range in
 * that copy.
 *
 * `halGptSetCow` (`hal_gpt_set_cow`): locals in `pid`, `cxy` (the GPT copy), `base`, `size`, `vpn`
 * (starts at `base`). One PTE per step, no GPT lock: a mapped PTE gets COW set and WRITABLE cleared
 * (one remote read-modify-write; a LOCKED bit held by a G2 handler is left as it is). G2 with the knob
 * `setCowTakesPteLock`: lock_pte first, then the change is a set_pte (releases the lock); an unmapped
 * entry is unlocked unchanged.
 *
 * Corrected variant (G2, not in the kernel): corrections/setCowLocksRefPte.ts (the walk goes vpn by
 * vpn under the reference PTE lock).
 */
import type { Frame, Procedure } from '../../engine/types.js';
import { call, ret } from '../../engine/types.js';
import { isMapped, PTE, type Pte } from '../../hw/pte.js';
import { COW_TYPES, setCowAttr } from './gpt.js';
import type { AlmosShared, VsegType } from './state.js';
import { gptPath, proc, ptePath, r, vslPath, w } from './util.js';

/** setCow. Locals: `pid` in; `ci`, `vi` (the next copy and vseg of the walk, by index; absent = 0). */
export type SetCowLocals = { pid: number; ci?: number; vi?: number };
/** halGptSetCow. Locals: `pid`, `cxy`, `base`, `size`, `vpn` in; `old` (lock_pte's value, G2). */
type RangeLocals = { pid: number; cxy: number; base: number; size: number; vpn: number; old: Pte };
type F = Frame<RangeLocals>;

export const setCow: Procedure<AlmosShared, SetCowLocals> = {
  name: 'setCow',
  entry: 'nextRange',
  steps: {
    /** XLIST_FOREACH on the copies, then on the reference vsegs: the next (copy, vseg) pair. */
    nextRange: {
      footprint: (s, f) => [
        r(`proc.${f.locals.pid}.copies`),
        r(vslPath(f.locals.pid, proc(s, f.locals.pid).ref)),
      ],
      run(s, f) {
        const p = proc(s, f.locals.pid);
        const vsl = p.copy[p.ref]?.vsl ?? [];
        let ci = f.locals.ci ?? 0;
        let vi = f.locals.vi ?? 0;
        for (; ci < p.copies.length; ci++, vi = 0) {
          while (vi < vsl.length && !COW_TYPES.includes(vsl[vi]?.type as VsegType)) vi++;
          const v = vsl[vi];
          if (v === undefined) continue;
          f.locals.ci = ci;
          f.locals.vi = vi + 1;
          const cxy = p.copies[ci] as number;
          return call(
            'halGptSetCow',
            { pid: p.pid, cxy, base: v.base, size: v.size, vpn: v.base },
            'nextRange',
          );
        }
        return ret();
      },
    },
  },
};

export const rpcVmmSetCow: Procedure<AlmosShared, SetCowLocals> = {
  name: 'rpcVmmSetCow',
  entry: 'setCow',
  steps: {
    setCow: { footprint: () => [], run: (_s, f) => call('setCow', { pid: f.locals.pid }, 'reply') },
    reply: { footprint: () => [], run: () => ret() },
  },
};

const ended = (f: F) => f.locals.vpn >= f.locals.base + f.locals.size;
const gpt = (f: F) => gptPath(f.locals.pid, f.locals.cxy);
const pte = (f: F) => ptePath(f.locals.pid, f.locals.cxy, f.locals.vpn);
const withPteLock = (s: AlmosShared) => s.knobs.generation === 'G2' && s.knobs.setCowTakesPteLock;

export const halGptSetCow: Procedure<AlmosShared, RangeLocals> = {
  name: 'halGptSetCow',
  entry: 'next',
  steps: {
    /** The loop head; without the PTE lock, this is the one read-modify-write of the PTE. */
    next: {
      footprint: (s, f) => (ended(f) || withPteLock(s) ? [] : [w(pte(f))]),
      run(s, f) {
        if (ended(f)) return ret();
        const vpn = f.locals.vpn;
        if (withPteLock(s)) return call('lockPte', { gpt: gpt(f), vpn }, 'setLocked', 'old');
        const g = proc(s, f.locals.pid).copy[f.locals.cxy]?.gpt;
        const old = g?.[vpn];
        if (g && isMapped(old)) g[vpn] = { attr: setCowAttr(old.attr), ppn: old.ppn };
        f.locals.vpn = vpn + 1;
        return 'next';
      },
    },
    /** G2 with the PTE lock: set_pte (releases the lock) or unlock an unmapped entry. */
    setLocked: {
      footprint: (_s, f) => [w(pte(f))],
      run(s, f) {
        const vpn = f.locals.vpn;
        const old = f.locals.old;
        f.locals.vpn = vpn + 1;
        if (!isMapped(old)) return call('unlockPte', { gpt: gpt(f), vpn }, 'next');
        const g = proc(s, f.locals.pid).copy[f.locals.cxy]?.gpt;
        if (g) g[vpn] = { attr: setCowAttr(old.attr) & ~PTE.LOCKED, ppn: old.ppn };
        return 'next';
      },
    },
  },
};
