/**
 * Corrected fork, G2, knob `forkLocksRefPtes` (not in the kernel; docs/findings.md F4, F5): the G2
 * counterpart of G1's `forkHoldsGptLock`. Trunk has no GPT-wide lock, so before process_make_fork the
 * forking thread lock_pte's every reference entry of the parent's DATA/ANON/REMOTE vsegs (in vpn order:
 * two forking threads cannot deadlock), and unlocks them after the child is registered. Every page
 * fault and COW of the parent on those vpns locks the reference entry (a fault after its local one:
 * forks never wait for a local entry, so no cycle), so none of them interleaves with the fork's copy,
 * which (with `forkProtectsParentFirst`) protects each parent entry, then shares it with the child.
 * Holding one PTE lock per vpn for the whole fork, not only while the vpn is copied, is what makes the
 * child's copy one instant of the parent's memory: a COW released early lets a parent thread store the
 * new value of an already copied page, then of a page still to be copied (F5).
 * Limits: the list of vpns is read from the reference VSL when the fork starts; a vseg mmap'ed during
 * the fork is not excluded (no scenario does that). The locks are held across RPC_PROCESS_MAKE_FORK
 * when the child's cluster is remote: waiters spin for the whole fork (the model's PTE locks are not
 * busylocks, so lockDiscipline does not object; a kernel would rather sleep on such a wait).
 *
 * `forkLockRefPtes`: locals in `pid`; returns the locked vpns. `forkUnlockRefPtes`: locals in `pid`,
 * `vpns` (that list).
 */
import type { Procedure } from '../../../engine/types.js';
import { call, ret } from '../../../engine/types.js';
import type { AlmosShared, VsegType } from '../state.js';
import { gptPath, proc, r, vslPath } from '../util.js';

type P = Procedure<AlmosShared>;
type F = { locals: { [k: string]: unknown } };

const COW_TYPES: readonly VsegType[] = ['DATA', 'ANON', 'REMOTE'];
const pid = (f: F) => f.locals.pid as number;
const vpns = (f: F) => f.locals.vpns as number[];
const index = (f: F) => (f.locals.i as number | undefined) ?? 0;
const refGpt = (s: AlmosShared, f: F) => gptPath(pid(f), proc(s, pid(f)).ref);

/** G2 with the knob: processMakeFork locks the parent's reference entries around the fork. */
export const forkLocksRefPtes = (s: AlmosShared): boolean =>
  s.knobs.generation === 'G2' && s.knobs.forkLocksRefPtes;

export const forkLockRefPtes: P = {
  name: 'forkLockRefPtes',
  entry: 'list',
  steps: {
    /** The vpns of the DATA/ANON/REMOTE vsegs of the reference VSL, ascending (one read). */
    list: {
      footprint: (s, f) => [r(`proc.${pid(f)}.ref`), r(vslPath(pid(f), proc(s, pid(f)).ref))],
      run(s, f) {
        const p = proc(s, pid(f));
        const list: number[] = [];
        for (const v of p.copy[p.ref]?.vsl ?? []) {
          if (!COW_TYPES.includes(v.type)) continue;
          for (let vpn = v.base; vpn < v.base + v.size; vpn++) list.push(vpn);
        }
        f.locals.vpns = list.sort((a, b) => a - b);
        return 'lock';
      },
    },
    lock: {
      footprint: (_s, f) => [r(`proc.${pid(f)}.ref`)],
      run(s, f) {
        const i = index(f);
        if (i >= vpns(f).length) return ret(vpns(f));
        f.locals.i = i + 1;
        return call('lockPte', { gpt: refGpt(s, f), vpn: vpns(f)[i] as number }, 'lock');
      },
    },
  },
};

export const forkUnlockRefPtes: P = {
  name: 'forkUnlockRefPtes',
  entry: 'unlock',
  steps: {
    unlock: {
      footprint: (_s, f) => [r(`proc.${pid(f)}.ref`)],
      run(s, f) {
        const i = index(f);
        if (i >= vpns(f).length) return ret();
        f.locals.i = i + 1;
        return call('unlockPte', { gpt: refGpt(s, f), vpn: vpns(f)[i] as number }, 'unlock');
      },
    },
  },
};
