/**
 * User threads and the MMU. A user thread runs its operation list (`userMain`); each load or store
 * goes through the MMU of its core (`mmuAccess`), which translates through the GPT copy of the
 * thread's cluster and raises the exception that dispatches to the kernel handlers, as on the real
 * machine: unmapped -> handlePageFault; write to a mapped COW page -> handleCow; write to a mapped
 * read-only page -> user error (the permission check is src/hw/mmu.ts `translate`). NON_FATAL retries
 * the access; USER_ERROR (or ENOMEM) kills the thread; KERNEL_PANIC stops it and is recorded for
 * `noKernelPanic` (after the handler's own record of its condition, when it made one). A USER_ERROR
 * is recorded there too when the access is legal (spec/memory.ts `expect` maps it: the region is
 * `mapped`, writable for a store) and was legal throughout the operation: no mmap of the process
 * completed during it (`ghost.mapDoneInOp`; a region that is `mapped` now and was not re-created
 * during the operation was `mapped` all along, since an unmapping region never becomes `mapped`).
 */
import * as spec from '../../../spec/memory.js';
import type { Frame, Procedure } from '../../engine/types.js';
import { call, ret } from '../../engine/types.js';
import { readWord, writeWord } from '../../hw/memory.js';
import { splitVa, translate } from '../../hw/mmu.js';
import { isMapped, type Pte } from '../../hw/pte.js';
import { kernelPanic } from './ghost.js';
import { accessFootprint, checkAccess } from './refinement.js';
import type { Op } from './scenario.js';
import type { AlmosShared } from './state.js';
import { copyIn, here, me, proc, ptePath, r, w } from './util.js';

export type ExceptionResult = 'NON_FATAL' | 'USER_ERROR' | 'ENOMEM' | 'KERNEL_PANIC';

/**
 * userMain. Locals: `ops`, `i` (the next op) in; `status` (mmuAccess's), `killed` (the thread was
 * killed), and the results of the calls, kept for traces: `forkResult`, `mmapResult`, `munmapResult`.
 */
type MainLocals = {
  ops: Op[];
  i: number;
  status: number;
  killed?: boolean;
  forkResult: number;
  mmapResult: number;
  munmapResult: number;
};
/** mmuAccess. Locals: `va`, `write`, `value` in; `result` (the handler's). */
type AccessLocals = { va: number; write: boolean; value: number; result: ExceptionResult };

export const userMain: Procedure<AlmosShared, MainLocals> = {
  name: 'userMain',
  entry: 'next',
  steps: {
    next: {
      progress: true, // the previous operation completed: progress for livelock detection
      footprint: (s, _f, ctx) => [
        r(`proc.${me(s, ctx).pid}.alive`),
        w(`thread.${ctx.tid}.inOp`),
        s.ghost.mapDoneInOp.includes(ctx.tid) ? w('ghost.mapDoneInOp') : r('ghost.mapDoneInOp'),
      ],
      run(s, f, ctx) {
        if (s.ghost.mapDoneInOp.includes(ctx.tid))
          s.ghost.mapDoneInOp = s.ghost.mapDoneInOp.filter((t) => t !== ctx.tid);
        const pid = me(s, ctx).pid;
        const { ops, i } = f.locals;
        // inOp: the operation boundary that sysExit's process_sigaction(BLOCK) waits for (exit.ts).
        if (!proc(s, pid).alive || f.locals.killed === true || i >= ops.length) {
          if (me(s, ctx).inOp === true) me(s, ctx).inOp = false;
          return ret();
        }
        me(s, ctx).inOp = true;
        const op = ops[i] as Op;
        f.locals.i = i + 1;
        switch (op.op) {
          case 'load':
            return call('mmuAccess', { va: op.va, write: false, value: 0 }, 'afterAccess', 'status');
          case 'store':
            return call('mmuAccess', { va: op.va, write: true, value: op.value }, 'afterAccess', 'status');
          case 'fork':
            return call('processMakeFork', { cxy: op.cxy, ops: op.ops }, 'next', 'forkResult');
          case 'exit':
            return call('sysExit', {}, 'next');
          case 'mmap':
            return call('sysMmap', { ...op }, 'next', 'mmapResult');
          case 'munmap':
            return call('sysMunmap', { base: op.base }, 'next', 'munmapResult');
        }
      },
    },
    afterAccess: {
      footprint: () => [],
      run(_s, f) {
        if (f.locals.status !== 0) f.locals.killed = true;
        return 'next';
      },
    },
  },
};

/** The MMU's page-table walk: the entry of `vpn` in the GPT copy of cluster `cxy`. */
function walk(s: AlmosShared, pid: number, cxy: number, vpn: number): Pte | undefined {
  return copyIn(s, pid, cxy).gpt[vpn];
}

/** Locals in: `va`, `write`, `value`. Returns 0, or -1 when the thread was killed. */
export const mmuAccess: Procedure<AlmosShared, AccessLocals> = {
  name: 'mmuAccess',
  entry: 'translate',
  steps: {
    translate: {
      footprint: (s, f, ctx) => {
        const t = me(s, ctx);
        const { vpn } = splitVa(f.locals.va, s.wordsPerPage);
        const pte = walk(s, t.pid, t.cxy, vpn);
        const mem = isMapped(pte) ? [{ obj: `mem.${pte.ppn}`, write: f.locals.write }] : [];
        return [r(ptePath(t.pid, t.cxy, vpn)), ...mem, ...accessFootprint(s, t.pid)];
      },
      run(s, f, ctx) {
        const { pid } = me(s, ctx);
        const cxy = here(s, ctx);
        const { va, write } = f.locals;
        const { vpn, offset } = splitVa(va, s.wordsPerPage);
        const tr = translate(walk(s, pid, cxy, vpn), write);
        if (tr.kind === 'fault') {
          if (tr.cause === 'unmapped')
            return call(handler(s, 'fault'), { pid, vpn }, 'afterException', 'result');
          if (tr.cause === 'cow') return call(handler(s, 'cow'), { pid, vpn }, 'afterException', 'result');
          f.locals.result = 'USER_ERROR';
          return 'afterException';
        }
        if (write) {
          writeWord(s, tr.ppn, offset, f.locals.value);
          checkAccess(s, pid, va, true, f.locals.value, { kind: 'stored' });
        } else {
          checkAccess(s, pid, va, false, 0, { kind: 'value', value: readWord(s, tr.ppn, offset) });
        }
        return ret(0);
      },
    },
    afterException: {
      footprint: (s, _f, ctx) => [
        ...accessFootprint(s, me(s, ctx).pid),
        w('ghost.panic'),
        r('ghost.mapDoneInOp'),
      ],
      run(s, f, ctx) {
        const result = f.locals.result;
        if (result === 'NON_FATAL') return 'translate';
        const { pid } = me(s, ctx);
        if (result === 'KERNEL_PANIC') {
          kernelPanic(
            s,
            `KERNEL_PANIC in ${f.locals.write ? 'store' : 'load'} at va ${f.locals.va} by P${pid}`,
          );
          return ret(-1);
        }
        if (result === 'USER_ERROR') {
          checkLegalUserError(s, f, ctx.tid, pid);
          checkAccess(s, pid, f.locals.va, f.locals.write, f.locals.value, {
            kind: 'fault',
            why: 'USER_ERROR',
          });
        }
        return ret(-1);
      },
    },
  },
};

/** noKernelPanic, second half: a USER_ERROR on an access legal throughout the operation (header). */
function checkLegalUserError(s: AlmosShared, f: Frame<AccessLocals>, tid: number, pid: number) {
  if (s.ghost.mapDoneInOp.includes(tid)) return;
  const { va, write } = f.locals;
  const { vpn, offset } = splitVa(va, s.wordsPerPage);
  if (spec.expect(s.ghost.spec, pid, vpn, offset, write).kind !== 'value') return;
  const what = write ? `store ${f.locals.value} to` : 'load from';
  kernelPanic(
    s,
    `mmuAccess: P${pid} ${what} va ${va} got USER_ERROR, but the access is legal (region mapped)`,
  );
}

/** The handler procedure for an exception, by generation (names as in vmm.c). */
export function handler(s: AlmosShared, kind: 'fault' | 'cow'): string {
  const g2 = s.knobs.generation === 'G2';
  return kind === 'fault' ? (g2 ? 'handlePageFaultG2' : 'handlePageFault') : g2 ? 'handleCowG2' : 'handleCow';
}
