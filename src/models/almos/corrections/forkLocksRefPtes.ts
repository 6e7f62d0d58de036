/**
 * Correction, knob `forkLocksRefPtes`, G2 only (not in the kernel; docs/findings.md F4, F5): the G2
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
 * processMakeFork: locals as documented, and `refPtes` (the locked vpns, so allocChild goes on with
 * step 1). `forkLockRefPtes`: locals in `pid`; returns the locked vpns. `forkUnlockRefPtes`: locals in
 * `pid`, `vpns` (that list).
 */
import type { Frame, Procedure } from '../../../engine/types.js';
import { call, ret } from '../../../engine/types.js';
import type { MakeForkLocals } from '../fork.js';
import { COW_TYPES } from '../gpt.js';
import type { AlmosShared } from '../state.js';
import { gptPath, me, proc, r, vslPath } from '../util.js';
import { type Correction, stepOf } from './correction.js';

type Locals = MakeForkLocals & { refPtes?: number[] };
/** Locals: `pid` in (the parent), `vpns` (the reference entries locked), `i` (the walk, absent = 0). */
type RefPtesLocals = { pid: number; vpns: number[]; i?: number };
type F = Frame<RefPtesLocals>;

const index = (f: F) => f.locals.i ?? 0;
const refGpt = (s: AlmosShared, f: F) => gptPath(f.locals.pid, proc(s, f.locals.pid).ref);

function lockingRefPtes(base: Procedure<AlmosShared, MakeForkLocals>): Procedure<AlmosShared, Locals> {
  const allocChild = stepOf(base, 'allocChild');
  const startChild = stepOf(base, 'startChild');
  return {
    ...base,
    steps: {
      ...base.steps,
      /** First lock the parent's reference entries, then step 1 as documented. */
      allocChild: {
        ...allocChild,
        run(s, f, ctx) {
          if (f.locals.refPtes !== undefined) return allocChild.run(s, f, ctx);
          return call('forkLockRefPtes', { pid: me(s, ctx).pid }, 'allocChild', 'refPtes');
        },
      },
      /** Start the child as documented, then unlock the entries before returning the PID. */
      startChild: {
        ...startChild,
        run(s, f, ctx) {
          startChild.run(s, f, ctx);
          const vpns = f.locals.refPtes ?? [];
          return call('forkUnlockRefPtes', { pid: me(s, ctx).pid, vpns }, 'done');
        },
      },
      done: { footprint: () => [], run: (_s, f) => ret(f.locals.child) },
    },
  };
}

export const forkLockRefPtes: Procedure<AlmosShared, RefPtesLocals> = {
  name: 'forkLockRefPtes',
  entry: 'list',
  steps: {
    /** The vpns of the DATA/ANON/REMOTE vsegs of the reference VSL, ascending (one read). */
    list: {
      footprint: (s, f) => [
        r(`proc.${f.locals.pid}.ref`),
        r(vslPath(f.locals.pid, proc(s, f.locals.pid).ref)),
      ],
      run(s, f) {
        const p = proc(s, f.locals.pid);
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
      footprint: (_s, f) => [r(`proc.${f.locals.pid}.ref`)],
      run(s, f) {
        const i = index(f);
        if (i >= f.locals.vpns.length) return ret(f.locals.vpns);
        f.locals.i = i + 1;
        return call('lockPte', { gpt: refGpt(s, f), vpn: f.locals.vpns[i] as number }, 'lock');
      },
    },
  },
};

export const forkUnlockRefPtes: Procedure<AlmosShared, RefPtesLocals> = {
  name: 'forkUnlockRefPtes',
  entry: 'unlock',
  steps: {
    unlock: {
      footprint: (_s, f) => [r(`proc.${f.locals.pid}.ref`)],
      run(s, f) {
        const i = index(f);
        if (i >= f.locals.vpns.length) return ret();
        f.locals.i = i + 1;
        return call('unlockPte', { gpt: refGpt(s, f), vpn: f.locals.vpns[i] as number }, 'unlock');
      },
    },
  },
};

export const forkLocksRefPtes: Correction = {
  selected: (k) => k.generation === 'G2' && k.forkLocksRefPtes,
  procedures: { processMakeFork: lockingRefPtes },
  adds: [forkLockRefPtes, forkUnlockRefPtes],
};
