/**
 * mmap (shared/spec/almos-mkh.md, "Processes and copies": ANON, REMOTE and FILE vsegs): `sys_mmap`
 * and `vmm_create_vseg`. The vseg is registered in the reference VSL only; copies fetch it on demand
 * (getVseg).
 *
 * `sysMmap` (the calling thread, in L). Locals in: `type` (ANON|REMOTE|FILE), `base`, `size` (pages),
 * `cxy` (REMOTE placement), `file` (FILE: the mapper). Returns `base`, or -1 (EINVAL).
 * 1. check the arguments: a FILE vseg must fit in its file. ANON pages are placed in L (the cluster
 *    of the thread that mapped it), REMOTE pages in `cxy`; vsegs are writable.
 * 2. vmmCreateVseg in the reference cluster R: G1 RPC_VMM_CREATE_VSEG when L != R (r585 sys_mmap);
 *    otherwise (L == R, or G2: RPCs replaced by remote accesses) a direct call.
 * 3. the mapping is complete: spec.mapDone. The other threads of the process that are inside an
 *    operation are noted in `ghost.mapDoneInOp` (the region may not have existed when theirs began).
 *
 * `vmmCreateVseg` (operates on R's VSL, from any cluster). Locals in: `pid`, `type`, `base`, `size`,
 * `cxy`, `file`. Write-lock the reference VSL; if the range overlaps a vseg of the reference VSL or a
 * stack of the process (ALMOS keeps user stacks in their own zone, out of mmap's reach) -> -1; else
 * attach the vseg, which is the linearization point of the creation (spec.mapStart: the region may be
 * accessed from now on); unlock. Returns 0 or -1. `rpcVmmCreateVseg` is the RPC_VMM_CREATE_VSEG
 * handler (runs in R).
 */
import * as spec from '../../../spec/memory.js';
import type { Frame, Procedure } from '../../engine/types.js';
import { call, ret } from '../../engine/types.js';
import { regionOfVseg } from './init.js';
import { rpc } from './rpc.js';
import type { AlmosShared, FileMapper, Vseg } from './state.js';
import { here, me, proc, r, vslLockPath, vslLocks, vslPath, w } from './util.js';

/** sysMmap. Locals: the mmap op's fields (`type`, `base`, `size`, `cxy`, `file`) in; `result`. */
type MmapLocals = {
  type: 'ANON' | 'REMOTE' | 'FILE';
  base: number;
  size: number;
  cxy: number;
  file: number;
  result: number;
};
/** vmmCreateVseg (and its RPC handler). Locals: `pid` and the vseg's fields in; `result` (0 or -1). */
type CreateLocals = MmapLocals & { pid: number };
type F = Frame<CreateLocals>;

const pid = (f: F) => f.locals.pid;
const refOf = (s: AlmosShared, f: F) => proc(s, pid(f)).ref;

/** The vseg the locals of vmmCreateVseg describe. */
function vsegOf(f: F): Vseg {
  const type = f.locals.type;
  return {
    type,
    base: f.locals.base,
    size: f.locals.size,
    cxy: type === 'FILE' ? -1 : f.locals.cxy,
    writable: true,
    executable: false,
    file: type === 'FILE' ? f.locals.file : -1,
  };
}

/** The other threads of `tid`'s process that are inside an operation. */
function inOpSiblings(s: AlmosShared, tid: number): number[] {
  const p = (s.thread[tid] as { pid: number }).pid;
  const out: number[] = [];
  s.thread.forEach((t, i) => {
    if (i !== tid && t.pid === p && t.inOp === true) out.push(i);
  });
  return out;
}

/** Clusters whose VSL holds a stack of process `p` (the stack zone). */
function stackClusters(s: AlmosShared, p: number): number[] {
  return [...new Set(s.thread.filter((t) => t.pid === p && t.stack >= 0).map((t) => t.cxy))];
}

/** Does [base, base+size) overlap a vseg of the reference VSL or a stack of the process? */
function conflict(s: AlmosShared, p: number, v: Vseg): boolean {
  const hits = (x: Vseg) => v.base < x.base + x.size && x.base < v.base + v.size;
  const ref = proc(s, p).copy[proc(s, p).ref];
  if (ref?.vsl.some(hits)) return true;
  return stackClusters(s, p).some((c) =>
    (proc(s, p).copy[c]?.vsl ?? []).some((x) => x.type === 'STACK' && hits(x)),
  );
}

export const vmmCreateVseg: Procedure<AlmosShared, CreateLocals> = {
  name: 'vmmCreateVseg',
  entry: 'lock',
  steps: {
    lock: {
      footprint: () => [],
      run: (s, f) => call(vslLocks(s)[2], { lock: vslLockPath(pid(f), refOf(s, f)) }, 'attach'),
    },
    attach: {
      footprint: (s, f) => [
        w(vslPath(pid(f), refOf(s, f))),
        ...stackClusters(s, pid(f)).map((c) => r(vslPath(pid(f), c))),
        w(`ghost.spec.procs.${pid(f)}`),
      ],
      run(s, f) {
        const v = vsegOf(f);
        if (conflict(s, pid(f), v)) {
          f.locals.result = -1;
        } else {
          const vsl = (proc(s, pid(f)).copy[refOf(s, f)] as { vsl: Vseg[] }).vsl;
          vsl.push(v);
          vsl.sort((a, b) => a.base - b.base);
          spec.mapStart(s.ghost.spec, pid(f), regionOfVseg(v));
          f.locals.result = 0;
        }
        return call(vslLocks(s)[3], { lock: vslLockPath(pid(f), refOf(s, f)) }, 'done');
      },
    },
    done: { footprint: () => [], run: (_s, f) => ret(f.locals.result) },
  },
};

/** RPC_VMM_CREATE_VSEG handler (the reference cluster's server). Locals: as vmmCreateVseg. */
export const rpcVmmCreateVseg: Procedure<AlmosShared, CreateLocals> = {
  name: 'rpcVmmCreateVseg',
  entry: 'create',
  steps: {
    create: {
      footprint: () => [],
      run: (_s, f) => call('vmmCreateVseg', { ...f.locals }, 'reply', 'result'),
    },
    reply: { footprint: () => [], run: (_s, f) => ret(f.locals.result) },
  },
};

export const sysMmap: Procedure<AlmosShared, MmapLocals> = {
  name: 'sysMmap',
  entry: 'check',
  steps: {
    check: {
      footprint: () => [],
      run(s, f, ctx) {
        const type = f.locals.type;
        const base = f.locals.base;
        const size = f.locals.size;
        const file = s.files[f.locals.file] as FileMapper | undefined;
        if (size < 1 || base < 0 || (type === 'FILE' && (file === undefined || size > file.pages.length))) {
          return ret(-1);
        }
        const p = me(s, ctx).pid;
        const cxy = type === 'ANON' ? here(s, ctx) : type === 'REMOTE' ? f.locals.cxy : -1;
        const args = { pid: p, type, base, size, cxy, file: type === 'FILE' ? f.locals.file : -1 };
        const ref = proc(s, p).ref;
        if (s.knobs.generation === 'G1' && ref !== here(s, ctx)) {
          return rpc(ref, 'CREATE_VSEG', args, 'created', 'result');
        }
        return call('vmmCreateVseg', args, 'created', 'result');
      },
    },
    created: {
      footprint: (s, f, ctx) => [
        w(`ghost.spec.procs.${me(s, ctx).pid}`),
        ...(f.locals.result === 0 ? inOpSiblings(s, ctx.tid).map((t) => r(`thread.${t}.inOp`)) : []),
        ...(f.locals.result === 0 && inOpSiblings(s, ctx.tid).length > 0 ? [w('ghost.mapDoneInOp')] : []),
      ],
      run(s, f, ctx) {
        if (f.locals.result !== 0) return ret(-1);
        spec.mapDone(s.ghost.spec, me(s, ctx).pid, f.locals.base);
        const marked = new Set([...s.ghost.mapDoneInOp, ...inOpSiblings(s, ctx.tid)]);
        if (marked.size > s.ghost.mapDoneInOp.length) s.ghost.mapDoneInOp = [...marked].sort((a, b) => a - b);
        return ret(f.locals.base);
      },
    },
  },
};
