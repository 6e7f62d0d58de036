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
 * Corrected variants (not in the kernel): G1 corrections/forkHoldsGptLock.ts (the forking thread
 * write-locks the parent's gpt(R) across steps 1-5); both generations
 * corrections/forkProtectsParentFirst.ts (the range copier of steps 2-3 protects each parent entry
 * before sharing it; no step 4, no halGptSetCow of the stack); G2 corrections/forkLocksRefPtes.ts (the
 * forking thread holds every reference PTE lock of the parent from before step 1 to after step 5).
 *
 * `threadUserFork` (in Y). Locals in: `parent`, `child`, `parentCxy` (L), `stack` (the forking
 * thread's stack base, -1 = none). The child STACK vseg = the forking thread's (same range, in Y);
 * each mapped stack PTE of gpt(L) is copied into the child's GPT with COW (`forkCopyRange`, forks += 1
 * each); then COW is set on the parent's stack range in gpt(L) (`halGptSetCow`).
 */
import * as spec from '../../../spec/memory.js';
import type { Procedure } from '../../engine/types.js';
import { call, ret } from '../../engine/types.js';
import { newCopy } from './init.js';
import { rpc } from './rpc.js';
import type { Op } from './scenario.js';
import type { AlmosShared, Copy, Vseg } from './state.js';
import { here, me, proc, r, vslPath, w } from './util.js';

/** processMakeFork. Locals: `cxy`, `ops` in; `child` (its PID). */
export type MakeForkLocals = { cxy: number; ops: Op[]; child: number };
/** The body of process_make_fork, run in Y, and threadUserFork (which also keeps the stack range). */
type ForkLocals = { parent: number; child: number; parentCxy: number; stack: number };
type UserForkLocals = ForkLocals & { base: number; size: number };

/** First core of `cxy` not used by a thread of a live process (among the cores seen there), or 0. */
function freeCore(s: AlmosShared, cxy: number): number {
  const inCluster = s.thread.filter((t) => t.cxy === cxy && t.pid >= 0);
  const used = inCluster.filter((t) => s.proc[t.pid]?.alive === true).map((t) => t.core);
  const cores = Math.max(0, ...inCluster.map((t) => t.core + 1));
  for (let c = 0; c < cores; c++) if (!used.includes(c)) return c;
  return 0;
}

export const processMakeFork: Procedure<AlmosShared, MakeForkLocals> = {
  name: 'processMakeFork',
  entry: 'allocChild',
  steps: {
    allocChild: {
      footprint: (s, _f, ctx) => [
        w(`proc.${s.proc.length}`),
        w(`ghost.spec.procs.${me(s, ctx).pid}`),
        w(`ghost.spec.procs.${s.proc.length}`),
      ],
      run(s, f, ctx) {
        const parent = me(s, ctx).pid;
        const y = f.locals.cxy;
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
      footprint: (s, f, ctx) => [
        r('proc'),
        r('thread'),
        w(`thread.${s.thread.length}`),
        w('@spawn'),
        w(`ghost.spec.procs.${f.locals.child}`),
        w(`ghost.spec.procs.${me(s, ctx).pid}`),
      ],
      run(s, f, ctx) {
        const child = f.locals.child;
        const y = f.locals.cxy;
        const stack = me(s, ctx).stack;
        const tid = s.thread.length;
        s.thread.push({ pid: child, cxy: y, core: freeCore(s, y), stack });
        const spawned = ctx.spawn(`P${child}.T${tid}@c${y}`, 'userMain', {
          ops: f.locals.ops,
          i: 0,
        });
        if (spawned !== tid)
          ctx.fail(`processMakeFork: thread descriptors out of step (${spawned} != ${tid})`);
        spec.adoptStack(s.ghost.spec, child, ctx.tid, tid);
        spec.forkDone(s.ghost.spec, me(s, ctx).pid, child);
        return ret(child);
      },
    },
  },
};

/** The body of process_make_fork, run in Y. Locals in: `parent`, `child`, `parentCxy`, `stack`. */
export const rpcProcessMakeFork: Procedure<AlmosShared, ForkLocals> = {
  name: 'rpcProcessMakeFork',
  entry: 'forkCopy',
  steps: {
    forkCopy: {
      footprint: () => [],
      run: (_s, f) => call('forkCopy', { parent: f.locals.parent, child: f.locals.child }, 'threadUserFork'),
    },
    threadUserFork: {
      footprint: () => [],
      run: (_s, f) => call('threadUserFork', { ...f.locals }, 'setCow'),
    },
    setCow: {
      footprint: (_s, f) => [r(`proc.${f.locals.parent}.ref`)],
      run(s, f, ctx) {
        const parent = f.locals.parent;
        const ref = proc(s, parent).ref;
        if (ref !== here(s, ctx)) return rpc(ref, 'SET_COW', { pid: parent }, 'register');
        return call('setCow', { pid: parent }, 'register');
      },
    },
    register: {
      footprint: (_s, f) => [w(`proc.${f.locals.child}.alive`)],
      run(s, f) {
        proc(s, f.locals.child).alive = true;
        return ret(f.locals.child);
      },
    },
  },
};

export const threadUserFork: Procedure<AlmosShared, UserForkLocals> = {
  name: 'threadUserFork',
  entry: 'stackVseg',
  steps: {
    /** The child STACK vseg: a copy of the forking thread's (read from its descriptor), in Y. */
    stackVseg: {
      footprint: (s, f) =>
        f.locals.stack < 0
          ? []
          : [
              r(vslPath(f.locals.parent, f.locals.parentCxy)),
              w(vslPath(f.locals.child, proc(s, f.locals.child).ref)),
            ],
      run(s, f) {
        const { parent, child, parentCxy, stack } = f.locals;
        if (stack < 0) return ret();
        const y = proc(s, child).ref;
        const v = proc(s, parent).copy[parentCxy]?.vsl.find(
          (x: Vseg) => x.type === 'STACK' && x.base === stack,
        );
        if (v === undefined) return ret();
        const vsl = (proc(s, child).copy[y] as Copy).vsl;
        vsl.push({ ...v, cxy: y });
        vsl.sort((a, b) => a.base - b.base);
        f.locals.base = v.base;
        f.locals.size = v.size;
        const ends = { srcPid: parent, srcCxy: parentCxy, dstPid: child, dstCxy: y };
        return call(
          'forkCopyRange',
          { ...ends, base: v.base, size: v.size, type: 'STACK', vpn: v.base },
          'parentCow',
        );
      },
    },
    parentCow: {
      footprint: () => [],
      run(_s, f) {
        const range = { base: f.locals.base, size: f.locals.size, vpn: f.locals.base };
        return call('halGptSetCow', { pid: f.locals.parent, cxy: f.locals.parentCxy, ...range }, 'done');
      },
    },
    done: { footprint: () => [], run: () => ret() },
  },
};
