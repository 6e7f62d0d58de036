/**
 * fork (shared/spec/almos-mkh.md, "fork"): `sys_fork` / `process_make_fork` / `thread_user_fork`.
 *
 * `processMakeFork` (the forking thread, in cluster L). Locals in: `cxy` (Y, the child's cluster),
 * `ops` (the child's main thread program). Returns the child PID.
 * 1. allocate the child descriptor and PID (the next index of `proc`; allocation never fails):
 *    reference = owner = Y, copies = [Y], a new copy in Y, not alive yet. The abstract memory forks
 *    here (`spec.fork`: the child sees the parent's memory at one instant between this point and the
 *    return of the fork).
 *    The caller blocks while Y runs steps 2-5: RPC_PROCESS_MAKE_FORK to Y if Y != L, else a direct
 *    call of the same procedure (`rpcProcessMakeFork`, the body of process_make_fork).
 * 2. forkCopy (forkCopy.ts).  3. threadUserFork (below).  4. setCow in R (setCow.ts).
 * 5. register the child (alive); back in sys_fork: start the child's main thread (`thread_unblock`:
 *    the thread is spawned here, so it cannot run before step 5), return the PID (`spec.forkDone`).
 *
 * Knob `forkHoldsGptLock` (corrected, G1; not in the kernel): before step 1 the forking thread
 * write-locks the parent's gpt(R), and releases it after step 5: forkCopy's reads of the reference and
 * setCow's whole walk then exclude the page faults and COWs of the parent (they take gpt(R)), as
 * Linux's dup_mmap holds the parent's mmap lock. The forking thread takes it, not the RPC server that
 * runs steps 2-4: no server waits for gpt(R), which a COW holds across its RPCs to R (a server stuck
 * there would need the RPC server pool to grow for that COW to finish).
 * Knobs `forkProtectsParentFirst` (both generations) and `forkLocksRefPtes` (G2), corrected, not in the
 * kernel (corrections/forkProtectsParentFirst.ts, corrections/forkLocksRefPtes.ts): the range copier
 * of steps 2-3 protects each parent entry before sharing it and step 4 is skipped; G2: the forking
 * thread holds every reference PTE lock of the parent from before step 1 to after step 5.
 *
 * `threadUserFork` (in Y). Locals in: `parent`, `child`, `parentCxy` (L), `stack` (the forking
 * thread's stack base, -1 = none). The child STACK vseg = the forking thread's (same range, in Y);
 * each mapped stack PTE of gpt(L) is copied into the child's GPT with COW (`forkCopyRange`, forks += 1
 * each); then COW is set on the parent's stack range in gpt(L) (`halGptSetCow`).
 */
import * as spec from '../../../spec/memory.js';
import type { Locals, Procedure } from '../../engine/types.js';
import { call, ret } from '../../engine/types.js';
import { forkLocksRefPtes } from './corrections/forkLocksRefPtes.js';
import { forkRangeCopier } from './forkCopy.js';
import { newCopy } from './init.js';
import { rpc } from './rpc.js';
import type { AlmosShared, Copy, Vseg } from './state.js';
import { gptLockPath, here, me, proc, r, vslPath, w } from './util.js';

type P = Procedure<AlmosShared>;
type F = { locals: { [k: string]: unknown } };

const num = (f: F, k: string) => f.locals[k] as number;
const pidOf = (s: AlmosShared, tid: number) => (s.thread[tid] as { pid: number }).pid;
const holdsGptLock = (s: AlmosShared) => s.knobs.generation === 'G1' && s.knobs.forkHoldsGptLock;
/** The parent's gpt(R) lock (the forking thread's process). */
const parentGptLock = (s: AlmosShared, tid: number) => {
  const parent = pidOf(s, tid);
  return { lock: gptLockPath(parent, proc(s, parent).ref) };
};

/** First core of `cxy` not used by a thread of a live process (among the cores seen there), or 0. */
function freeCore(s: AlmosShared, cxy: number): number {
  const inCluster = s.thread.filter((t) => t.cxy === cxy && t.pid >= 0);
  const used = inCluster.filter((t) => s.proc[t.pid]?.alive === true).map((t) => t.core);
  const cores = Math.max(0, ...inCluster.map((t) => t.core + 1));
  for (let c = 0; c < cores; c++) if (!used.includes(c)) return c;
  return 0;
}

export const processMakeFork: P = {
  name: 'processMakeFork',
  entry: 'allocChild',
  steps: {
    allocChild: {
      footprint: (s, _f, tid) => [
        w(`proc.${s.proc.length}`),
        w(`ghost.spec.procs.${pidOf(s, tid)}`),
        w(`ghost.spec.procs.${s.proc.length}`),
      ],
      run(s, f, ctx) {
        if (forkLocksRefPtes(s) && f.locals.refPtes === undefined)
          return call('forkLockRefPtes', { pid: me(s, ctx).pid }, 'allocChild', 'refPtes');
        if (holdsGptLock(s) && f.locals.gptLocked !== true) {
          f.locals.gptLocked = true;
          return call('remoteRwlockWrAcquire', parentGptLock(s, ctx.tid), 'allocChild');
        }
        const parent = me(s, ctx).pid;
        const y = num(f, 'cxy');
        const child = s.proc.length;
        const copy: Array<Copy | null> = new Array(s.clusters).fill(null);
        copy[y] = newCopy(s.knobs);
        s.proc.push({ pid: child, ref: y, owner: y, parent, copies: [y], copy, alive: false });
        spec.fork(s.ghost.spec, parent, child, ctx.tid);
        f.locals.child = child;
        const args = { parent, child, parentCxy: here(s, ctx), stack: me(s, ctx).stack };
        if (y !== here(s, ctx)) return rpc(y, 'MAKE_FORK', args, 'startChild');
        return call('rpcProcessMakeFork', args, 'startChild');
      },
    },
    /** sys_fork after process_make_fork: thread_unblock(child main thread), return the PID. */
    startChild: {
      footprint: (s, f, tid) => [
        r('proc'),
        r('thread'),
        w(`thread.${s.thread.length}`),
        w('@spawn'),
        w(`ghost.spec.procs.${num(f, 'child')}`),
        w(`ghost.spec.procs.${pidOf(s, tid)}`),
      ],
      run(s, f, ctx) {
        const child = num(f, 'child');
        const y = num(f, 'cxy');
        const stack = me(s, ctx).stack;
        const tid = s.thread.length;
        s.thread.push({ pid: child, cxy: y, core: freeCore(s, y), stack });
        const spawned = ctx.spawn(`P${child}.T${tid}@c${y}`, 'userMain', {
          ops: f.locals.ops as Locals[],
          i: 0,
        });
        if (spawned !== tid)
          ctx.fail(`processMakeFork: thread descriptors out of step (${spawned} != ${tid})`);
        spec.adoptStack(s.ghost.spec, child, ctx.tid, tid);
        spec.forkDone(s.ghost.spec, me(s, ctx).pid, child);
        if (f.locals.gptLocked === true)
          return call('remoteRwlockWrRelease', parentGptLock(s, ctx.tid), 'done');
        if (f.locals.refPtes !== undefined)
          return call(
            'forkUnlockRefPtes',
            { pid: me(s, ctx).pid, vpns: f.locals.refPtes as number[] },
            'done',
          );
        return ret(child);
      },
    },
    done: { footprint: () => [], run: (_s, f) => ret(num(f, 'child')) },
  },
};

/** The body of process_make_fork, run in Y. Locals in: `parent`, `child`, `parentCxy`, `stack`. */
export const rpcProcessMakeFork: P = {
  name: 'rpcProcessMakeFork',
  entry: 'forkCopy',
  steps: {
    forkCopy: {
      footprint: () => [],
      run: (_s, f) =>
        call('forkCopy', { parent: num(f, 'parent'), child: num(f, 'child') }, 'threadUserFork'),
    },
    threadUserFork: {
      footprint: () => [],
      run: (_s, f) => call('threadUserFork', { ...(f.locals as Locals) }, 'setCow'),
    },
    setCow: {
      footprint: (_s, f) => [r(`proc.${num(f, 'parent')}.ref`)],
      run(s, f, ctx) {
        const parent = num(f, 'parent');
        const ref = proc(s, parent).ref;
        if (s.knobs.forkProtectsParentFirst) return 'register';
        if (ref !== here(s, ctx)) return rpc(ref, 'SET_COW', { pid: parent }, 'register');
        return call('setCow', { pid: parent }, 'register');
      },
    },
    register: {
      footprint: (_s, f) => [w(`proc.${num(f, 'child')}.alive`)],
      run(s, f) {
        proc(s, num(f, 'child')).alive = true;
        return ret(num(f, 'child'));
      },
    },
  },
};

export const threadUserFork: P = {
  name: 'threadUserFork',
  entry: 'stackVseg',
  steps: {
    /** The child STACK vseg: a copy of the forking thread's (read from its descriptor), in Y. */
    stackVseg: {
      footprint: (s, f) =>
        num(f, 'stack') < 0
          ? []
          : [
              r(vslPath(num(f, 'parent'), num(f, 'parentCxy'))),
              w(vslPath(num(f, 'child'), proc(s, num(f, 'child')).ref)),
            ],
      run(s, f) {
        if (num(f, 'stack') < 0) return ret();
        const parent = num(f, 'parent');
        const child = num(f, 'child');
        const y = proc(s, child).ref;
        const v = proc(s, parent).copy[num(f, 'parentCxy')]?.vsl.find(
          (x: Vseg) => x.type === 'STACK' && x.base === num(f, 'stack'),
        );
        if (v === undefined) return ret();
        const vsl = (proc(s, child).copy[y] as Copy).vsl;
        vsl.push({ ...v, cxy: y });
        vsl.sort((a, b) => a.base - b.base);
        f.locals.base = v.base;
        f.locals.size = v.size;
        const ends = { srcPid: parent, srcCxy: num(f, 'parentCxy'), dstPid: child, dstCxy: y };
        return call(
          forkRangeCopier(s),
          { ...ends, base: v.base, size: v.size, type: 'STACK', vpn: v.base },
          'parentCow',
        );
      },
    },
    parentCow: {
      footprint: () => [],
      run(s, f) {
        if (s.knobs.forkProtectsParentFirst) return ret();
        const range = { base: num(f, 'base'), size: num(f, 'size'), vpn: num(f, 'base') };
        return call('halGptSetCow', { pid: num(f, 'parent'), cxy: num(f, 'parentCxy'), ...range }, 'done');
      },
    },
    done: { footprint: () => [], run: () => ret() },
  },
};
