/**
 * The corrected G2 setCow walk, knob `setCowLocksRefPte` (not in the kernel; shared/spec/almos-mkh.md
 * "fork" step 4 documents one PTE at a time, copy by copy, with no GPT lock). Called by `setCow` for
 * each DATA/ANON/REMOTE vseg of the reference VSL. Locals in: `pid`, `base`, `size`, `vpn` (starts at
 * `base`). For each vpn of the range:
 * 1. lock_pte on the reference entry (waits while a fault or a COW of this vpn holds it);
 * 2. for each copy of the owner's list except the reference, in list order: one remote read-modify-write
 *    of the entry: mapped -> COW set, WRITABLE cleared (LOCKED kept); unmapped -> unchanged. No copy lock:
 *    a G2 fault locks its local entry BEFORE the reference one, so waiting for a copy lock here would
 *    deadlock with it;
 * 3. set_pte on the reference entry with COW set and WRITABLE cleared (releases the lock); unmapped:
 *    unlock_pte.
 * Why it is enough, with `faultHoldsRefLock` and `updateRefLast`: every writer of a public entry of a
 * copy then holds the reference PTE lock of that vpn while it writes (a fault until its local set_pte, a
 * COW's globalUpdatePte until its last store, into the reference); a fault that holds its unmapped local
 * entry while it waits for the reference lock reads the COW value after step 3. So the vpn is marked in
 * every copy atomically with respect to them, and no copy set with a stale writable PTE escapes it.
 */
import type { Frame, Procedure } from '../../../engine/types.js';
import { call, ret } from '../../../engine/types.js';
import { isMapped, PTE } from '../../../hw/pte.js';
import { setCowAttr } from '../gpt.js';
import type { AlmosShared } from '../state.js';
import { gptPath, proc, ptePath, r, w } from '../util.js';

/** Locals: `pid`, `base`, `size`, `vpn` in; `ci` (the next copy of the mark walk, by index). */
type Locals = { pid: number; base: number; size: number; vpn: number; ci?: number };
type P = Procedure<AlmosShared, Locals>;
type F = Frame<Locals>;

const pid = (f: F) => f.locals.pid;
const vpn = (f: F) => f.locals.vpn;
const refOf = (s: AlmosShared, f: F) => proc(s, pid(f)).ref;
/** The next copy (index into the copies list, from `ci`) other than the reference, or undefined. */
function nextCopy(s: AlmosShared, f: F): { ci: number; cxy: number } | undefined {
  const copies = proc(s, pid(f)).copies;
  for (let ci = f.locals.ci ?? 0; ci < copies.length; ci++) {
    const cxy = copies[ci] as number;
    if (cxy !== refOf(s, f)) return { ci, cxy };
  }
  return undefined;
}

export const setCowByVpn: P = {
  name: 'setCowByVpn',
  entry: 'lockRef',
  steps: {
    /** The vpn loop head: lock_pte on the reference entry. */
    lockRef: {
      footprint: (_s, f) => [r(`proc.${pid(f)}.ref`)],
      run(s, f) {
        if (vpn(f) >= f.locals.base + f.locals.size) return ret();
        f.locals.ci = 0;
        return call('lockPte', { gpt: gptPath(pid(f), refOf(s, f)), vpn: vpn(f) }, 'markCopy');
      },
    },
    /** One remote read-modify-write of the entry in the next copy (the reference excluded). */
    markCopy: {
      footprint: (s, f) => {
        const next = nextCopy(s, f);
        const reads = [r(`proc.${pid(f)}.copies`), r(`proc.${pid(f)}.ref`)];
        return next === undefined ? reads : [...reads, w(ptePath(pid(f), next.cxy, vpn(f)))];
      },
      run(s, f) {
        const next = nextCopy(s, f);
        if (next === undefined) return 'setRef';
        const gpt = proc(s, pid(f)).copy[next.cxy]?.gpt;
        const pte = gpt?.[vpn(f)];
        if (gpt && isMapped(pte)) gpt[vpn(f)] = { attr: setCowAttr(pte.attr), ppn: pte.ppn };
        f.locals.ci = next.ci + 1;
        return nextCopy(s, f) === undefined ? 'setRef' : 'markCopy';
      },
    },
    /** set_pte on the reference entry (releases its lock); an unmapped entry is just unlocked. */
    setRef: {
      footprint: (s, f) => [r(`proc.${pid(f)}.ref`), w(ptePath(pid(f), refOf(s, f), vpn(f)))],
      run(s, f) {
        const v = vpn(f);
        const gpt = proc(s, pid(f)).copy[refOf(s, f)]?.gpt;
        const pte = gpt?.[v];
        f.locals.vpn = v + 1;
        if (gpt === undefined || !isMapped(pte))
          return call('unlockPte', { gpt: gptPath(pid(f), refOf(s, f)), vpn: v }, 'lockRef');
        gpt[v] = { attr: setCowAttr(pte.attr) & ~PTE.LOCKED, ppn: pte.ppn };
        return 'lockRef';
      },
    },
  },
};
