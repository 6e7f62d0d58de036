/**
 * lockDiscipline (invariant 10, every step): no thread blocks while holding a busylock, and the
 * wait-for graph has no cycle. A busylock holder that sleeps (a blocking lock, an RPC) makes every
 * spinner on that lock burn its core, and deadlocks when the thread it waits for needs the busylock.
 * Busylocks are the page descriptors' `lock` (holder tid or -1).
 * Blocking: the engine thread has `blockedOn != null` (a rwlock or queuelock wait, an RPC wait), or
 * it waits for an RPC (a `rpcSend` frame whose request is sent and not done). Spinning on a busylock
 * or a G2 PTE lock is not blocking.
 * Wait-for edges (thread -> thread):
 *  - a blocked remote_rwlock reader -> the writer; a blocked writer -> the writer and every reader;
 *  - a blocked remote_queuelock waiter -> the holder;
 *  - a busylock spinner (next step busylockAcquire.spin on a taken lock) -> its holder;
 *  - an RPC client whose request is not done -> the server thread of the target cluster. The edge is
 *    kept even when the server is idle or serving this very request: an idle server has no outgoing
 *    edge, and a server blocked on a lock its client holds is a real deadlock.
 *  G2 PTE-lock spinners have no edge (the PTE lock records no holder); the engine still reports the
 *  deadlock when nothing can run.
 * Reads the threads' frames and `blockedOn`, which no footprint declares: the blocking steps also write
 * the lock or the RPC FIFO (declared), but a busylock spinner's edge appears with its own `call` step
 * — a cycle closed that way is permanent and also ends the run as a deadlock.
 */
import type { Invariant, SystemState, Thread } from '../../../engine/types.js';
import { ppnHome } from '../../../hw/ids.js';
import type { AlmosShared, QueueLock, Rpc, RwLock } from '../state.js';
import { at } from '../util.js';
import { pageReads, procReads } from './reads.js';

type Frame = Thread['stack'][number];
const top = (t: Thread): Frame | undefined => t.stack[t.stack.length - 1];
const lockOf = (f: Frame) => f.locals.lock as string;

function who(st: SystemState<AlmosShared>, tid: number): string {
  const t = st.threads[tid];
  const f = t ? top(t) : undefined;
  return `T${tid} (${t?.name ?? '?'}${f ? ` at ${f.proc}.${f.pc}` : ''})`;
}

/** The cluster whose server thread `t` waits for: the target of its pending RPC, if any. */
function rpcWait(st: SystemState<AlmosShared>, t: Thread): number | null {
  const f = t.stack.find((x) => x.proc === 'rpcSend');
  const rpc: Rpc | undefined = f === undefined ? undefined : st.shared.rpcs[f.locals.id as number];
  return f !== undefined && rpc !== undefined && !rpc.done ? (f.locals.cxy as number) : null;
}

/** The RPC a thread waits for (its id), or null. */
function rpcWaitId(st: SystemState<AlmosShared>, t: Thread): number | null {
  const f = t.stack.find((x) => x.proc === 'rpcSend');
  const rpc: Rpc | undefined = f === undefined ? undefined : st.shared.rpcs[f.locals.id as number];
  return f !== undefined && rpc !== undefined && !rpc.done ? (f.locals.id as number) : null;
}

/**
 * Outgoing wait-for edges of every thread: a lock waiter -> the holder(s), a busylock spinner -> the
 * holder, an RPC client -> the server thread running its request (a request not yet taken waits for
 * no thread in particular: servers are created on demand).
 */
export function waitFor(st: SystemState<AlmosShared>): Map<number, number[]> {
  const s = st.shared;
  let serving: Map<number, number> | null = null;
  const edges = new Map<number, number[]>();
  for (const t of st.threads) {
    const f = top(t);
    if (f === undefined) continue;
    const out: number[] = [];
    if (t.blockedOn !== null && f.proc === 'remoteRwlockRdAcquire') {
      const l = at<RwLock>(s, lockOf(f));
      if (l.writer !== -1) out.push(l.writer);
    } else if (t.blockedOn !== null && f.proc === 'remoteRwlockWrAcquire') {
      const l = at<RwLock>(s, lockOf(f));
      if (l.writer !== -1) out.push(l.writer);
      out.push(...l.readers);
    } else if (t.blockedOn !== null && f.proc === 'remoteQueuelockAcquire') {
      const l = at<QueueLock>(s, lockOf(f));
      if (l.holder !== -1) out.push(l.holder);
    } else if (f.proc === 'busylockAcquire' && f.pc === 'spin') {
      const holder = at<number>(s, lockOf(f));
      if (holder !== -1) out.push(holder);
    } else if (t.blockedOn !== null && f.proc === 'rpcSend') {
      const id = rpcWaitId(st, t);
      if (id !== null) {
        serving ??= servingThreads(st);
        const server = serving.get(id);
        if (server !== undefined) out.push(server);
      }
    }
    if (out.length > 0) edges.set(t.id, out);
  }
  return edges;
}

/** RPC id -> the server thread running it. */
function servingThreads(st: SystemState<AlmosShared>): Map<number, number> {
  const out = new Map<number, number>();
  for (const t of st.threads) {
    const base = t.stack[0];
    if (t.daemon === true && base?.proc === 'rpcServer' && base.pc === 'reply')
      out.set(base.locals.id as number, t.id);
  }
  return out;
}

/** A cycle of the wait-for graph, as thread ids, or null. */
export function findCycle(edges: Map<number, number[]>): number[] | null {
  const state = new Map<number, 'open' | 'done'>();
  const path: number[] = [];
  const visit = (u: number): number[] | null => {
    state.set(u, 'open');
    path.push(u);
    for (const v of edges.get(u) ?? []) {
      if (state.get(v) === 'open') return path.slice(path.indexOf(v));
      if (state.get(v) === undefined) {
        const c = visit(v);
        if (c !== null) return c;
      }
    }
    path.pop();
    state.set(u, 'done');
    return null;
  };
  for (const u of [...edges.keys()].sort((a, b) => a - b)) {
    if (state.get(u) !== undefined) continue;
    const c = visit(u);
    if (c !== null) return c;
  }
  return null;
}

export const lockDiscipline: Invariant<AlmosShared> = {
  name: 'lockDiscipline',
  when: 'step',
  reads: [
    ...pageReads,
    ...procReads,
    'page.*.lock',
    'proc.*.copy.*.gptLock',
    'proc.*.copy.*.vslLock',
    'rpcs',
    'framesPerCluster',
  ],
  readsThreads: true,
  check(st) {
    const s = st.shared;
    for (const [ppn, page] of s.page.entries()) {
      if (page.lock === -1) continue;
      const t = st.threads[page.lock];
      if (t === undefined) return `busylock page.${ppn}.lock is held by unknown thread ${page.lock}`;
      const rpc = rpcWait(st, t);
      if (t.blockedOn !== null || rpc !== null) {
        const how = t.blockedOn !== null ? `blocks on ${t.blockedOn}` : `waits for an RPC to cluster ${rpc}`;
        return `${who(st, t.id)} ${how} while holding busylock page.${ppn}.lock (ppn ${ppn}, cluster ${ppnHome(ppn, s.framesPerCluster)})`;
      }
    }
    const cycle = findCycle(waitFor(st));
    if (cycle !== null) {
      return `wait-for cycle: ${[...cycle, cycle[0] as number].map((t) => who(st, t)).join(' -> ')}`;
    }
    return null;
  },
};
