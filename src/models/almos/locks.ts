/**
 * ALMOS-MKH locks as procedures (one atomic step per attempt, release or wake-up), named after the
 * kernel functions. Every lock is named by its path in the shared state (local `lock`).
 * - remote_rwlock: readers are not blocked by waiting writers; FIFO wait queues; Mesa wake-up (the
 *   woken thread re-checks and queues again at the tail if it still cannot enter). Release by the last
 *   reader wakes the first writer; release by the writer wakes the first waiting writer, else every
 *   waiting reader (as ALMOS's rwlock_unlock: a waiting writer goes first; spec/almos-deviations.md).
 * - busylock: a spin lock (await: the spinning thread is not enabled while the lock is taken).
 * - remote_queuelock: blocking mutex with a FIFO queue (G2 VSL lock).
 * - G2 PTE lock: the LOCKED attribute bit; lock_pte waits while it is set, set_pte clears it. Unlocking
 *   an entry that is not locked fails hal_gpt_unlock_pte's kernel assertion (recorded for noKernelPanic).
 */
import type { Frame, Procedure } from '../../engine/types.js';
import { asThreadId, block, ret } from '../../engine/types.js';
import { PTE, type Pte } from '../../hw/pte.js';
import { kernelPanic, panicFootprint } from './ghost.js';
import type { AlmosShared, QueueLock, RwLock } from './state.js';
import { at, w } from './util.js';

/** Locals in of every lock procedure: the lock's path. */
type LockLocals = { lock: string };
/** Locals in of lock_pte / unlock_pte: the GPT copy's path and the entry. */
type PteLocals = { gpt: string; vpn: number };
type P = Procedure<AlmosShared, LockLocals>;
const lockOf = (f: Frame<LockLocals>) => f.locals.lock;
const wakes = (tids: readonly number[]) => tids.map((t) => w(`@t${t}`));

export const remoteRwlockRdAcquire: P = {
  name: 'remoteRwlockRdAcquire',
  entry: 'tryRead',
  steps: {
    tryRead: {
      footprint: (_s, f) => [w(lockOf(f))],
      run(s, f, ctx) {
        const l = at<RwLock>(s, lockOf(f));
        if (l.writer === -1) {
          l.readers.push(ctx.tid);
          return ret();
        }
        l.rq.push(ctx.tid);
        return block(lockOf(f), 'tryRead');
      },
    },
  },
};

export const remoteRwlockWrAcquire: P = {
  name: 'remoteRwlockWrAcquire',
  entry: 'tryWrite',
  steps: {
    tryWrite: {
      footprint: (_s, f) => [w(lockOf(f))],
      run(s, f, ctx) {
        const l = at<RwLock>(s, lockOf(f));
        if (l.writer === -1 && l.readers.length === 0) {
          l.writer = ctx.tid;
          return ret();
        }
        l.wq.push(ctx.tid);
        return block(lockOf(f), 'tryWrite');
      },
    },
  },
};

export const remoteRwlockRdRelease: P = {
  name: 'remoteRwlockRdRelease',
  entry: 'release',
  steps: {
    release: {
      footprint: (s, f) => {
        const l = at<RwLock>(s, lockOf(f));
        return [w(lockOf(f)), ...wakes(l.readers.length === 1 ? l.wq.slice(0, 1) : [])];
      },
      run(s, f, ctx) {
        const l = at<RwLock>(s, lockOf(f));
        const i = l.readers.indexOf(ctx.tid);
        if (i < 0) ctx.fail(`remoteRwlockRdRelease: T${ctx.tid} is not a reader of ${lockOf(f)}`);
        l.readers.splice(i, 1);
        if (l.readers.length === 0 && l.wq.length > 0) ctx.wake(asThreadId(l.wq.shift() as number));
        return ret();
      },
    },
  },
};

export const remoteRwlockWrRelease: P = {
  name: 'remoteRwlockWrRelease',
  entry: 'release',
  steps: {
    release: {
      footprint: (s, f) => {
        const l = at<RwLock>(s, lockOf(f));
        return [w(lockOf(f)), ...wakes(l.wq.length > 0 ? l.wq.slice(0, 1) : l.rq)];
      },
      run(s, f, ctx) {
        const l = at<RwLock>(s, lockOf(f));
        if (l.writer !== ctx.tid) ctx.fail(`remoteRwlockWrRelease: T${ctx.tid} does not hold ${lockOf(f)}`);
        l.writer = -1;
        if (l.wq.length > 0) {
          ctx.wake(asThreadId(l.wq.shift() as number));
        } else {
          for (const t of l.rq) ctx.wake(asThreadId(t as number));
          l.rq = [];
        }
        return ret();
      },
    },
  },
};

export const busylockAcquire: P = {
  name: 'busylockAcquire',
  entry: 'spin',
  steps: {
    spin: {
      footprint: (_s, f) => [w(lockOf(f))],
      guard: (s, f) => at<number>(s, lockOf(f)) === -1,
      run(s, f, ctx) {
        setAt(s, lockOf(f), ctx.tid);
        return ret();
      },
    },
  },
};

export const busylockRelease: P = {
  name: 'busylockRelease',
  entry: 'release',
  steps: {
    release: {
      footprint: (_s, f) => [w(lockOf(f))],
      run(s, f, ctx) {
        if (at<number>(s, lockOf(f)) !== ctx.tid)
          ctx.fail(`busylockRelease: T${ctx.tid} does not hold ${lockOf(f)}`);
        setAt(s, lockOf(f), -1);
        return ret();
      },
    },
  },
};

export const remoteQueuelockAcquire: P = {
  name: 'remoteQueuelockAcquire',
  entry: 'tryTake',
  steps: {
    tryTake: {
      footprint: (_s, f) => [w(lockOf(f))],
      run(s, f, ctx) {
        const l = at<QueueLock>(s, lockOf(f));
        if (l.holder === -1) {
          l.holder = ctx.tid;
          return ret();
        }
        l.wq.push(ctx.tid);
        return block(lockOf(f), 'tryTake');
      },
    },
  },
};

export const remoteQueuelockRelease: P = {
  name: 'remoteQueuelockRelease',
  entry: 'release',
  steps: {
    release: {
      footprint: (s, f) => [w(lockOf(f)), ...wakes(at<QueueLock>(s, lockOf(f)).wq.slice(0, 1))],
      run(s, f, ctx) {
        const l = at<QueueLock>(s, lockOf(f));
        if (l.holder !== ctx.tid) ctx.fail(`remoteQueuelockRelease: T${ctx.tid} does not hold ${lockOf(f)}`);
        l.holder = -1;
        if (l.wq.length > 0) ctx.wake(asThreadId(l.wq.shift() as number));
        return ret();
      },
    },
  },
};

/** G2 `lock_pte(gpt, vpn)`: local `gpt` (path), `vpn`; waits while LOCKED, returns the PTE value. */
export const lockPte: Procedure<AlmosShared, PteLocals> = {
  name: 'lockPte',
  entry: 'spin',
  steps: {
    spin: {
      footprint: (_s, f) => [w(`${f.locals.gpt}.${f.locals.vpn}`)],
      guard: (s, f) => !locked(gptAt(s, f)[f.locals.vpn]),
      run(s, f) {
        const gpt = gptAt(s, f);
        const vpn = f.locals.vpn;
        const old = gpt[vpn] ?? { attr: 0, ppn: -1 };
        gpt[vpn] = { attr: old.attr | PTE.LOCKED, ppn: old.ppn };
        return ret({ attr: old.attr, ppn: old.ppn });
      },
    },
  },
};

/** G2 `unlock_pte`: clears LOCKED (an entry left with no attribute is removed). */
export const unlockPte: Procedure<AlmosShared, PteLocals> = {
  name: 'unlockPte',
  entry: 'unlock',
  steps: {
    unlock: {
      footprint: (s, f) => [
        w(`${f.locals.gpt}.${f.locals.vpn}`),
        ...panicFootprint(!locked(gptAt(s, f)[f.locals.vpn as number])),
      ],
      run(s, f) {
        const gpt = gptAt(s, f);
        const vpn = f.locals.vpn;
        const pte = gpt[vpn];
        if (!locked(pte)) {
          kernelPanic(s, `unlockPte: ${f.locals.gpt}.${vpn} is not locked`);
          return ret();
        }
        const attr = (pte as Pte).attr & ~PTE.LOCKED;
        if (attr === 0) delete gpt[vpn];
        else gpt[vpn] = { attr, ppn: (pte as Pte).ppn };
        return ret();
      },
    },
  },
};

export const locked = (pte: Pte | undefined): boolean => pte !== undefined && (pte.attr & PTE.LOCKED) !== 0;
const gptAt = (s: AlmosShared, f: Frame<PteLocals>) => at<{ [vpn: number]: Pte }>(s, f.locals.gpt);

function setAt(s: AlmosShared, path: string, value: number): void {
  const i = path.lastIndexOf('.');
  at<Record<string, number>>(s, path.slice(0, i))[path.slice(i + 1)] = value;
}

export const lockProcedures: readonly Procedure<AlmosShared>[] = [
  remoteRwlockRdAcquire,
  remoteRwlockWrAcquire,
  remoteRwlockRdRelease,
  remoteRwlockWrRelease,
  busylockAcquire,
  busylockRelease,
  remoteQueuelockAcquire,
  remoteQueuelockRelease,
  lockPte,
  unlockPte,
];
