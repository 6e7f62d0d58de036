/**
 * `vmm_fork_copy` (shared/spec/almos-mkh.md, "fork" step 2), run in the child's cluster Y. Locals in:
 * `parent`, `child` (the child's reference copy is in Y = its `ref`).
 * Lock the parent's reference VSL (G1: remote_rwlock, read mode; G2: remote_queuelock). For each
 * parent vseg except STACK: create the child vseg in the child's reference VSL (one step); unless
 * CODE (the child refills code pages on demand), copy its PTEs with `forkCopyRange`. Unlock.
 *
 * `forkCopyRange` is the vpn loop shared with `thread_user_fork`: `hal_gpt_pte_copy` then the forks
 * increment. Locals in: `srcPid`, `srcCxy`, `dstPid`, `dstCxy`, `base`, `size`, `type` (vseg type),
 * `vpn` (starts at `base`).
 * Per vpn: read the source PTE (one unlocked remote read); if mapped, write it into the destination
 * GPT (one store) with COW set and WRITABLE cleared, unless FILE (shared mapping: copied as is); then
 * under the page busylock `forks += 1` (FILE pages only with the knob `fileCopyIncrementsForks`) and
 * `refcount += 1` (the new mapping). The G2 LOCKED bit of the source is not copied: the child does not
 * hold the lock a handler of the parent holds. Between the PTE write and the increment the page has
 * one mapping more than its refcount says (ghost.ts `refcountPending` -1).
 * Corrected variant (knob `forkProtectsParentFirst`): corrections/forkProtectsParentFirst.ts, whose
 * `forkCopyRangeProtected` forkCopy and threadUserFork call instead.
 */
import type { Frame, Procedure } from '../../engine/types.js';
import { call, ret } from '../../engine/types.js';
import { isMapped, type Pte } from '../../hw/pte.js';
import { addPending, pendingPath } from './ghost.js';
import { forkedPte } from './gpt.js';
import type { AlmosShared, PageDesc, Vseg, VsegType } from './state.js';
import { proc, ptePath, r, vslLockPath, vslLocks, vslPath, w } from './util.js';

/** forkCopy. Locals: `parent`, `child` in; `vi` (the next parent vseg, by index in its VSL). */
type CopyLocals = { parent: number; child: number; vi: number };
/**
 * forkCopyRange. Locals: `srcPid`, `srcCxy`, `dstPid`, `dstCxy`, `base`, `size`, `type`, `vpn` in;
 * `pte` (the source entry read).
 */
export type RangeLocals = {
  srcPid: number;
  srcCxy: number;
  dstPid: number;
  dstCxy: number;
  base: number;
  size: number;
  type: VsegType;
  vpn: number;
  pte: Pte;
};
type F = Frame<RangeLocals>;

const refOf = (s: AlmosShared, pid: number) => proc(s, pid).ref;
const refVsl = (s: AlmosShared, pid: number): Vseg[] => proc(s, pid).copy[refOf(s, pid)]?.vsl ?? [];

export const forkCopy: Procedure<AlmosShared, CopyLocals> = {
  name: 'forkCopy',
  entry: 'lockVsl',
  steps: {
    lockVsl: {
      footprint: () => [],
      run(s, f) {
        f.locals.vi = 0;
        const lock = vslLockPath(f.locals.parent, refOf(s, f.locals.parent));
        return call(vslLocks(s)[0], { lock }, 'nextVseg');
      },
    },
    /** Creates the child vseg of the next non-STACK parent vseg (reads the reference VSL). */
    nextVseg: {
      footprint: (s, f) => [
        r(vslPath(f.locals.parent, refOf(s, f.locals.parent))),
        w(vslPath(f.locals.child, refOf(s, f.locals.child))),
      ],
      run(s, f) {
        const parent = f.locals.parent;
        const child = f.locals.child;
        const vsl = refVsl(s, parent);
        let vi = f.locals.vi;
        while (vi < vsl.length && (vsl[vi] as Vseg).type === 'STACK') vi++;
        const v = vsl[vi];
        if (v === undefined)
          return call(vslLocks(s)[1], { lock: vslLockPath(parent, refOf(s, parent)) }, 'done');
        f.locals.vi = vi + 1;
        const childVsl = refVsl(s, child);
        childVsl.push({ ...v });
        childVsl.sort((a, b) => a.base - b.base);
        if (v.type === 'CODE') return 'nextVseg';
        const range = { base: v.base, size: v.size, type: v.type };
        const ends = { srcPid: parent, srcCxy: refOf(s, parent), dstPid: child, dstCxy: refOf(s, child) };
        return call('forkCopyRange', { ...ends, ...range, vpn: v.base }, 'nextVseg');
      },
    },
    done: { footprint: () => [], run: () => ret() },
  },
};

const src = (s: AlmosShared, f: F) => proc(s, f.locals.srcPid).copy[f.locals.srcCxy];
const pte = (f: F) => f.locals.pte;
const pageLock = (f: F) => `page.${pte(f).ppn}.lock`;
const ended = (f: F) => f.locals.vpn >= f.locals.base + f.locals.size;

export const forkCopyRange: Procedure<AlmosShared, RangeLocals> = {
  name: 'forkCopyRange',
  entry: 'readPte',
  steps: {
    /** One unlocked remote read of the source PTE (the loop head). */
    readPte: {
      footprint: (_s, f) => (ended(f) ? [] : [r(ptePath(f.locals.srcPid, f.locals.srcCxy, f.locals.vpn))]),
      run(s, f) {
        if (ended(f)) return ret();
        const p = src(s, f)?.gpt[f.locals.vpn];
        if (!isMapped(p)) {
          f.locals.vpn = f.locals.vpn + 1;
          return 'readPte';
        }
        f.locals.pte = { attr: p.attr, ppn: p.ppn };
        return 'writePte';
      },
    },
    writePte: {
      footprint: (_s, f) => [
        w(ptePath(f.locals.dstPid, f.locals.dstCxy, f.locals.vpn)),
        w(pendingPath(pte(f).ppn)),
      ],
      run(s, f) {
        const dst = proc(s, f.locals.dstPid).copy[f.locals.dstCxy];
        if (dst) dst.gpt[f.locals.vpn] = forkedPte(f.locals.type, pte(f));
        addPending(s, pte(f).ppn, -1);
        return call('busylockAcquire', { lock: pageLock(f) }, 'incForks');
      },
    },
    incForks: {
      footprint: (_s, f) => [
        w(`page.${pte(f).ppn}.forks`),
        w(`page.${pte(f).ppn}.refcount`),
        w(pendingPath(pte(f).ppn)),
      ],
      run(s, f) {
        const page = s.page[pte(f).ppn] as PageDesc;
        if (f.locals.type !== 'FILE' || s.knobs.fileCopyIncrementsForks) page.forks++;
        page.refcount++;
        addPending(s, pte(f).ppn, 1);
        f.locals.vpn = f.locals.vpn + 1;
        return call('busylockRelease', { lock: pageLock(f) }, 'readPte');
      },
    },
  },
};
