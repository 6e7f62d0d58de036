/**
 * remote_rwlock wake-up order (locks.ts; spec/almos-deviations.md, item 1): the writer's release hands
 * the lock to the first waiting writer and leaves the waiting readers blocked; with no writer waiting
 * it wakes every waiting reader. The last reader's release wakes the first writer. Woken threads
 * re-check (Mesa): their next step is the acquire attempt again.
 */
import { describe, expect, it } from 'vitest';
import type { Locals, Procedure, SystemState, Thread } from '../../src/engine/types.js';
import { asThreadId } from '../../src/engine/types.js';
import { lockProcedures } from '../../src/models/almos/locks.js';
import type { RwLock } from '../../src/models/almos/state.js';
import { instance } from '../engine/support/toyModels.js';

/** Only the lock: the lock procedures reach it by its path (`at(s, 'lk')`). */
type S = { lk: RwLock };
const procedures = Object.fromEntries(lockProcedures.map((p) => [p.name, p])) as unknown as {
  [name: string]: Procedure<S>;
};
const lock = 'lk';
const frame = (proc: string, pc: string, locals: Locals = { lock }) => ({ proc, pc, locals, into: null });
const thread = (id: number, stack: Thread['stack'], blockedOn: string | null = null): Thread => ({
  id: asThreadId(id),
  name: `T${id}`,
  stack,
  blockedOn,
});
const waitingWriter = (id: number) => thread(id, [frame('remoteRwlockWrAcquire', 'tryWrite')], lock);
const waitingReader = (id: number) => thread(id, [frame('remoteRwlockRdAcquire', 'tryRead')], lock);

/** Runs thread 0's release step on a state where the lock holds `l` and threads 1.. wait. */
function release(proc: string, l: RwLock, waiters: Thread[]): SystemState<S> {
  const init = (): SystemState<S> => ({
    shared: { lk: l },
    threads: [thread(0, [frame(proc, 'release')]), ...waiters],
  });
  const inst = instance<S>({ init, procedures });
  const st = inst.init();
  inst.execStep(st, asThreadId(0), () => 0);
  return st;
}
const blocked = (st: SystemState<S>) => st.threads.filter((t) => t.blockedOn !== null).map((t) => t.id);

describe('remote_rwlock wake-up order', () => {
  it("the writer's release wakes the first waiting writer only, even when readers wait", () => {
    const l = { readers: [], writer: 0, rq: [1, 3], wq: [2, 4] };
    const st = release('remoteRwlockWrRelease', l, [
      waitingReader(1),
      waitingWriter(2),
      waitingReader(3),
      waitingWriter(4),
    ]);
    expect(st.shared.lk).toEqual({ readers: [], writer: -1, rq: [1, 3], wq: [4] });
    expect(blocked(st)).toEqual([1, 3, 4]);
    expect(st.threads[2]?.stack[0]?.pc).toBe('tryWrite');
  });

  it("with no writer waiting, the writer's release wakes every waiting reader", () => {
    const l = { readers: [], writer: 0, rq: [1, 2], wq: [] };
    const st = release('remoteRwlockWrRelease', l, [waitingReader(1), waitingReader(2)]);
    expect(st.shared.lk).toEqual({ readers: [], writer: -1, rq: [], wq: [] });
    expect(blocked(st)).toEqual([]);
  });

  it("the last reader's release wakes the first waiting writer", () => {
    const l = { readers: [0], writer: -1, rq: [], wq: [1, 2] };
    const st = release('remoteRwlockRdRelease', l, [waitingWriter(1), waitingWriter(2)]);
    expect(st.shared.lk).toEqual({ readers: [], writer: -1, rq: [], wq: [2] });
    expect(blocked(st)).toEqual([2]);
  });
});
