/**
 * Unit tests of lockDiscipline on hand-built thread states (invariantStates.ts): blocking while
 * holding a busylock, and the wait-for graph (rwlock, queuelock, busylock spinners, RPC waits).
 * Threads: T0@c0, T1@c1, T2@c1 (user), T3 = RPC server of c0, T4 = RPC server of c1.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { findCycle, lockDiscipline, waitFor } from '../../src/models/almos/invariants/lockDiscipline.js';
import type { PageDesc, QueueLock, RwLock } from '../../src/models/almos/state.js';
import { gptLockPath } from '../../src/models/almos/util.js';
import { blockOn, copy, fresh, push, type St } from './invariantStates.js';

let st: St;
beforeEach(() => {
  st = fresh();
});

const hold = (ppn: number, tid: number) => {
  (st.shared.page[ppn] as PageDesc).lock = tid;
};
const rw = (pid: number, cxy: number) => copy(st, pid, cxy).gptLock as RwLock;

/** Thread `tid` blocked in `proc` (an rwlock or queuelock acquire) on the lock at `lock`. */
function waitLock(tid: number, proc: string, lock: string): void {
  push(
    st,
    tid,
    proc,
    proc === 'remoteQueuelockAcquire' ? 'tryTake' : proc.endsWith('RdAcquire') ? 'tryRead' : 'tryWrite',
    {
      lock,
    },
  );
  blockOn(st, tid, lock);
}

/** Thread `tid` waiting for RPC #id to cluster `cxy`. */
function waitRpc(tid: number, id: number, cxy: number, done = false): void {
  push(st, tid, 'rpcSend', 'receive', { cxy, kind: 'GET_VSEG', args: {}, id });
  st.shared.rpcs[id] = { id, kind: 'GET_VSEG', client: tid, args: {}, result: null, done };
  if (!done) blockOn(st, tid, `rpc GET_VSEG #${id} to cluster ${cxy}`);
}

describe('lockDiscipline: blocking while holding a busylock', () => {
  it('passes on the initial state and while a holder only runs or spins', () => {
    expect(lockDiscipline.check(st)).toBeNull();
    hold(1, 0);
    push(st, 0, 'busylockAcquire', 'spin', { lock: 'page.2.lock' });
    expect(lockDiscipline.check(st)).toBeNull();
  });

  it('reports a holder blocked on a rwlock', () => {
    hold(1, 0);
    rw(0, 1).writer = 1;
    rw(0, 1).wq.push(0);
    waitLock(0, 'remoteRwlockWrAcquire', gptLockPath(0, 1));
    expect(lockDiscipline.check(st)).toBe(
      'T0 (P0.T0@c0 at remoteRwlockWrAcquire.tryWrite) blocks on proc.0.copy.1.gptLock while holding busylock page.1.lock (ppn 1, cluster 0)',
    );
  });

  it('reports a holder waiting for an RPC, not one whose RPC is done', () => {
    hold(5, 1);
    waitRpc(1, 0, 0, true);
    expect(lockDiscipline.check(st)).toBeNull();
    st = fresh();
    hold(5, 1);
    waitRpc(1, 0, 0);
    expect(lockDiscipline.check(st)).toContain('T1 (P0.T1@c1 at rpcSend.receive) blocks on rpc GET_VSEG #0');
    (st.threads[1] as { blockedOn: string | null }).blockedOn = null;
    expect(lockDiscipline.check(st)).toContain(
      'waits for an RPC to cluster 0 while holding busylock page.5.lock',
    );
  });
});

describe('lockDiscipline: the wait-for graph', () => {
  it('reports two writers taking two GPT locks in opposite orders', () => {
    rw(0, 0).writer = 0;
    rw(0, 1).writer = 1;
    waitLock(0, 'remoteRwlockWrAcquire', gptLockPath(0, 1));
    expect(lockDiscipline.check(st)).toBeNull();
    waitLock(1, 'remoteRwlockWrAcquire', gptLockPath(0, 0));
    expect(lockDiscipline.check(st)).toBe(
      'wait-for cycle: T0 (P0.T0@c0 at remoteRwlockWrAcquire.tryWrite) -> T1 (P0.T1@c1 at remoteRwlockWrAcquire.tryWrite) -> T0 (P0.T0@c0 at remoteRwlockWrAcquire.tryWrite)',
    );
  });

  it('makes a waiting writer wait for every reader, and a waiting reader for the writer only', () => {
    rw(0, 0).readers.push(0, 2);
    waitLock(1, 'remoteRwlockWrAcquire', gptLockPath(0, 0));
    rw(0, 1).readers.push(1);
    waitLock(0, 'remoteRwlockRdAcquire', gptLockPath(0, 1));
    expect(waitFor(st).get(1)).toEqual([0, 2]);
    expect(waitFor(st).get(0)).toBeUndefined();
    expect(lockDiscipline.check(st)).toBeNull();
    rw(0, 1).writer = 2;
    rw(0, 1).readers = [];
    expect(waitFor(st).get(0)).toEqual([2]);
    waitLock(2, 'remoteRwlockWrAcquire', gptLockPath(1, 1));
    rw(1, 1).writer = 1;
    expect(lockDiscipline.check(st)).toBe(
      'wait-for cycle: T0 (P0.T0@c0 at remoteRwlockRdAcquire.tryRead) -> T2 (P1.T2@c1 at remoteRwlockWrAcquire.tryWrite) -> T1 (P0.T1@c1 at remoteRwlockWrAcquire.tryWrite) -> T0 (P0.T0@c0 at remoteRwlockRdAcquire.tryRead)',
    );
  });

  it('follows G2 queuelock waiters to the holder', () => {
    st = fresh();
    const path = 'proc.0.copy.0.vslLock';
    (st.shared.proc[0] as { copy: unknown[] }).copy[0] = {
      ...copy(st, 0, 0),
      vslLock: { holder: 1, wq: [0] } satisfies QueueLock,
    };
    waitLock(0, 'remoteQueuelockAcquire', path);
    expect(waitFor(st).get(0)).toEqual([1]);
  });

  it('reports busylock spinners in a cycle, a thread spinning on its own busylock included', () => {
    hold(1, 0);
    hold(2, 1);
    push(st, 0, 'busylockAcquire', 'spin', { lock: 'page.2.lock' });
    expect(lockDiscipline.check(st)).toBeNull();
    push(st, 1, 'busylockAcquire', 'spin', { lock: 'page.1.lock' });
    expect(lockDiscipline.check(st)).toContain('wait-for cycle: T0 (P0.T0@c0 at busylockAcquire.spin) -> T1');
    st = fresh();
    hold(3, 2);
    push(st, 2, 'busylockAcquire', 'spin', { lock: 'page.3.lock' });
    expect(lockDiscipline.check(st)).toBe(
      'wait-for cycle: T2 (P1.T2@c1 at busylockAcquire.spin) -> T2 (P1.T2@c1 at busylockAcquire.spin)',
    );
  });

  it('reports an RPC client holding the lock its server needs, not an idle server', () => {
    rw(0, 0).writer = 1;
    waitRpc(1, 0, 0);
    st.shared.rpc[0]?.push(0);
    // Not taken yet: the client waits for no server in particular (the pool grows on demand).
    expect(waitFor(st).get(1)).toBeUndefined();
    expect(lockDiscipline.check(st)).toBeNull();
    st.shared.rpc[0]?.shift();
    const server = (st.threads[3] as { stack: Array<{ pc: string; locals: Record<string, unknown> }> })
      .stack[0];
    if (server) {
      server.pc = 'reply';
      server.locals.id = 0;
    }
    expect(waitFor(st).get(1)).toEqual([3]);
    push(st, 3, 'rpcVmmGetVseg', 'lock', { pid: 0, vpn: 0 });
    waitLock(3, 'remoteRwlockRdAcquire', gptLockPath(0, 0));
    expect(lockDiscipline.check(st)).toBe(
      'wait-for cycle: T1 (P0.T1@c1 at rpcSend.receive) -> T3 (rpc@c0 at remoteRwlockRdAcquire.tryRead) -> T1 (P0.T1@c1 at rpcSend.receive)',
    );
  });

  it('findCycle returns null on a DAG and the cycle nodes otherwise', () => {
    expect(
      findCycle(
        new Map([
          [1, [2, 3]],
          [2, [3]],
        ]),
      ),
    ).toBeNull();
    expect(
      findCycle(
        new Map([
          [1, [2]],
          [2, [3]],
          [3, [2]],
        ]),
      ),
    ).toEqual([2, 3]);
  });
});
