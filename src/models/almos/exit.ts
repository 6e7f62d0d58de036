/**
 * exit (shared/spec/almos-mkh.md, "removeVseg": "exit destroys each copy in its own cluster"):
 * `sys_exit` of the whole process, by one of its threads (in L). Locals: none. Returns null.
 * 1. process_sigaction(BLOCK): mark the process as exiting (`alive = false`): no thread of the process
 *    starts another operation (userMain stops at its next boundary). If it was already exiting,
 *    another thread runs the exit: return (this thread stops at its boundary too).
 * 2. wait for the acknowledgements: every other thread of the process has left its current operation
 *    (`inOp` cleared by userMain at the boundary: it finished its kernel call or is done).
 * 3. destroy each copy in its own cluster, walking the owner's copies list in list order with the
 *    reference first or last like munmap (knob `copyOrder`; in ALMOS the reference/owner copy goes
 *    last: the parent's sys_wait destroys it after every other copy lost its last thread): for each
 *    vseg of the copy's VSL (read once per copy), removeVseg there (directly in L, else
 *    RPC_VMM_REMOVE_VSEG).
 * 4. the abstract process is gone (spec.exit): every later access faults. The caller's userMain then
 *    returns, since the process is no longer alive.
 */
import * as spec from '../../../spec/memory.js';
import type { Frame, Procedure } from '../../engine/types.js';
import { ret } from '../../engine/types.js';
import { copyWalk, removeIn } from './copyWalk.js';
import type { AlmosShared } from './state.js';
import { here, me, proc, r, vslPath, w } from './util.js';

/**
 * Locals (none in): `pid`, `self` (the exiting process and thread), `walk` (the copies, in walk
 * order), `i` (the next copy), `cxy` (the copy being destroyed), `bases` (its vsegs), `j` (the next).
 */
type Locals = {
  pid: number;
  self: number;
  walk: number[];
  i: number;
  cxy: number;
  bases: number[];
  j: number;
};
type P = Procedure<AlmosShared, Locals>;
type F = Frame<Locals>;

/** The other user threads of process `p` (by thread id). */
function siblings(s: AlmosShared, p: number, tid: number): number[] {
  const out: number[] = [];
  s.thread.forEach((t, i) => {
    if (t.pid === p && i !== tid) out.push(i);
  });
  return out;
}

/** Next removeVseg in the copy being destroyed, or on to the next copy. */
function nextVseg(f: F, local: number) {
  const { bases, j } = f.locals;
  if (j < bases.length) {
    f.locals.j = j + 1;
    return removeIn(local, f.locals.cxy, f.locals.pid, bases[j] as number, 'nextVseg');
  }
  return 'nextCopy';
}

export const sysExit: P = {
  name: 'sysExit',
  entry: 'blockThreads',
  steps: {
    blockThreads: {
      footprint: (s, _f, ctx) => [w(`proc.${me(s, ctx).pid}.alive`)],
      run(s, f, ctx) {
        const p = proc(s, me(s, ctx).pid);
        if (!p.alive) return ret(null);
        p.alive = false;
        f.locals.pid = p.pid;
        f.locals.self = ctx.tid;
        return 'waitAcks';
      },
    },
    waitAcks: {
      footprint: (s, f, ctx) => [
        ...siblings(s, f.locals.pid, ctx.tid).map((t) => r(`thread.${t}.inOp`)),
        r(`proc.${f.locals.pid}.copies`),
        r(`proc.${f.locals.pid}.ref`),
      ],
      guard: (s, f) =>
        siblings(s, f.locals.pid, f.locals.self).every(
          (t) => (s.thread[t] as { inOp?: boolean }).inOp !== true,
        ),
      run(s, f) {
        const p = proc(s, f.locals.pid);
        f.locals.walk = copyWalk(p.copies, p.ref, s.knobs.copyOrder);
        f.locals.i = 0;
        return 'nextCopy';
      },
    },
    nextCopy: {
      footprint: (_s, f) => {
        const cxy = f.locals.walk[f.locals.i];
        return cxy === undefined ? [] : [r(vslPath(f.locals.pid, cxy))];
      },
      run(s, f, ctx) {
        const { walk, i } = f.locals;
        if (i >= walk.length) return 'specExit';
        const cxy = walk[i] as number;
        f.locals.i = i + 1;
        f.locals.cxy = cxy;
        f.locals.bases = (proc(s, f.locals.pid).copy[cxy]?.vsl ?? []).map((v) => v.base);
        f.locals.j = 0;
        return nextVseg(f, here(s, ctx));
      },
    },
    nextVseg: { footprint: () => [], run: (s, f, ctx) => nextVseg(f, here(s, ctx)) },
    specExit: {
      footprint: (_s, f) => [w(`ghost.spec.procs.${f.locals.pid}`)],
      run(s, f) {
        spec.exit(s.ghost.spec, f.locals.pid);
        return ret(null);
      },
    },
  },
};
