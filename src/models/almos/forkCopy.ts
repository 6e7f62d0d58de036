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
 * hold the lock a handler of the parent holds.
 */
import type { Procedure, Value } from '../../engine/types.js';
import { call, ret } from '../../engine/types.js';
import { isMapped, type Pte } from '../../hw/pte.js';
import { forkedPte } from './gpt.js';
import type { AlmosShared, PageDesc, Vseg, VsegType } from './state.js';
import { proc, ptePath, r, vslLockPath, vslLocks, vslPath, w } from './util.js';

type P = Procedure<AlmosShared>;
type F = { locals: { [k: string]: unknown } };

const num = (f: F, k: string) => f.locals[k] as number;
const refOf = (s: AlmosShared, pid: number) => proc(s, pid).ref;
const refVsl = (s: AlmosShared, pid: number): Vseg[] => proc(s, pid).copy[refOf(s, pid)]?.vsl ?? [];

export const forkCopy: P = {
  name: 'forkCopy',
  entry: 'lockVsl',
  steps: {
    lockVsl: {
      footprint: () => [],
      run(s, f) {
        f.locals.vi = 0;
        const lock = vslLockPath(num(f, 'parent'), refOf(s, num(f, 'parent')));
        return call(vslLocks(s)[0], { lock }, 'nextVseg');
      },
    },
    /** Creates the child vseg of the next non-STACK parent vseg (reads the reference VSL). */
    nextVseg: {
      footprint: (s, f) => [
        r(vslPath(num(f, 'parent'), refOf(s, num(f, 'parent')))),
        w(vslPath(num(f, 'child'), refOf(s, num(f, 'child')))),
      ],
      run(s, f) {
        const parent = num(f, 'parent');
        const child = num(f, 'child');
        const vsl = refVsl(s, parent);
        let vi = num(f, 'vi');
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

const src = (s: AlmosShared, f: F) => proc(s, num(f, 'srcPid')).copy[num(f, 'srcCxy')];
const pte = (f: F) => f.locals.pte as unknown as Pte;
const pageLock = (f: F) => `page.${pte(f).ppn}.lock`;
const ended = (f: F) => num(f, 'vpn') >= num(f, 'base') + num(f, 'size');

export const forkCopyRange: P = {
  name: 'forkCopyRange',
  entry: 'readPte',
  steps: {
    /** One unlocked remote read of the source PTE (the loop head). */
    readPte: {
      footprint: (_s, f) => (ended(f) ? [] : [r(ptePath(num(f, 'srcPid'), num(f, 'srcCxy'), num(f, 'vpn')))]),
      run(s, f) {
        if (ended(f)) return ret();
        const p = src(s, f)?.gpt[num(f, 'vpn')];
        if (!isMapped(p)) {
          f.locals.vpn = num(f, 'vpn') + 1;
          return 'readPte';
        }
        f.locals.pte = { attr: p.attr, ppn: p.ppn } as unknown as Value;
        return 'writePte';
      },
    },
    writePte: {
      footprint: (_s, f) => [w(ptePath(num(f, 'dstPid'), num(f, 'dstCxy'), num(f, 'vpn')))],
      run(s, f) {
        const dst = proc(s, num(f, 'dstPid')).copy[num(f, 'dstCxy')];
        if (dst) dst.gpt[num(f, 'vpn')] = forkedPte(f.locals.type as VsegType, pte(f));
        return call('busylockAcquire', { lock: pageLock(f) }, 'incForks');
      },
    },
    incForks: {
      footprint: (_s, f) => [w(`page.${pte(f).ppn}.forks`), w(`page.${pte(f).ppn}.refcount`)],
      run(s, f) {
        const page = s.page[pte(f).ppn] as PageDesc;
        if (f.locals.type !== 'FILE' || s.knobs.fileCopyIncrementsForks) page.forks++;
        page.refcount++;
        f.locals.vpn = num(f, 'vpn') + 1;
        return call('busylockRelease', { lock: pageLock(f) }, 'readPte');
      },
    },
  },
};
