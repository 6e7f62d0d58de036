/**
 * Correction, knob `forkHoldsGptLock`, G1 only (not in the kernel; docs/findings.md, the fork races):
 * before step 1 the forking thread write-locks the parent's gpt(R), and releases it after step 5:
 * forkCopy's reads of the reference and setCow's whole walk then exclude the page faults and COWs of
 * the parent (they take gpt(R)), as Linux's dup_mmap holds the parent's mmap lock. The forking thread
 * takes it, not the RPC server that runs steps 2-4: no server waits for gpt(R), which a COW holds
 * across its RPCs to R (a server stuck there would need the RPC server pool to grow for that COW to
 * finish). Locals: processMakeFork's, and `gptLocked` (taken, so allocChild goes on with step 1).
 */
import type { Procedure, ReadCtx } from '../../../engine/types.js';
import { call, ret } from '../../../engine/types.js';
import type { MakeForkLocals } from '../fork.js';
import type { AlmosShared } from '../state.js';
import { gptLockPath, me, proc } from '../util.js';
import { type Correction, stepOf } from './correction.js';

type Locals = MakeForkLocals & { gptLocked?: boolean };

/** The parent's gpt(R) lock (the forking thread's process). */
const parentGptLock = (s: AlmosShared, ctx: ReadCtx) => {
  const parent = me(s, ctx).pid;
  return { lock: gptLockPath(parent, proc(s, parent).ref) };
};

function holdingGptLock(base: Procedure<AlmosShared, MakeForkLocals>): Procedure<AlmosShared, Locals> {
  const allocChild = stepOf(base, 'allocChild');
  const startChild = stepOf(base, 'startChild');
  return {
    ...base,
    steps: {
      ...base.steps,
      /** First write-lock gpt(R), then step 1 as documented. */
      allocChild: {
        ...allocChild,
        run(s, f, ctx) {
          if (f.locals.gptLocked === true) return allocChild.run(s, f, ctx);
          f.locals.gptLocked = true;
          return call('remoteRwlockWrAcquire', parentGptLock(s, ctx), 'allocChild');
        },
      },
      /** Start the child as documented, then release gpt(R) before returning the PID. */
      startChild: {
        ...startChild,
        run(s, f, ctx) {
          startChild.run(s, f, ctx);
          return call('remoteRwlockWrRelease', parentGptLock(s, ctx), 'done');
        },
      },
      done: { footprint: () => [], run: (_s, f) => ret(f.locals.child) },
    },
  };
}

export const forkHoldsGptLock: Correction = {
  selected: (k) => k.generation === 'G1' && k.forkHoldsGptLock,
  procedures: { processMakeFork: holdingGptLock },
  adds: [],
};
