/**
 * RPCs (shared/spec/almos-mkh.md, "Machine"): the client enqueues a request in the target cluster's
 * FIFO and blocks; a server thread of the target (a daemon) takes requests in FIFO order, runs the
 * handler procedure (its own atomic steps, in the server's cluster), writes the result into the
 * client's descriptor and unblocks the client. As in ALMOS-MKH, a cluster starts with one server and
 * a client that finds every server of the target busy creates another (up to `rpcServersMax`), so a
 * handler that blocks (on a lock or a nested RPC) does not stall the FIFO.
 * `rpcSend` locals in: `cxy`, `kind`, `args`; returns the handler's result.
 */
import type { Locals, Procedure, Value } from '../../engine/types.js';
import { asThreadId, block, call, ret } from '../../engine/types.js';
import { completeRpc, dequeue, enqueue, head, newRpc } from '../../hw/rpcFifo.js';
import type { AlmosShared, Rpc, RpcKind } from './state.js';
import { r, w } from './util.js';

/** rpcSend. Locals: `cxy`, `kind`, `args` in; `id` (the request's descriptor). */
type SendLocals = { cxy: number; kind: RpcKind; args: Rpc['args']; id: number };
/** rpcServer. Locals: `cxy` in; `id` (the request being served), `result` (its handler's). */
type ServerLocals = { cxy: number; id: number; result: Rpc['result'] };

/** At most this many RPC server threads per cluster (CONFIG_RPC_THREADS_MAX). */
export const rpcServersMax = 4;

/** The handler procedure of each RPC kind. */
export const rpcHandlers: { readonly [K in RpcKind]: string } = {
  GET_VSEG: 'rpcVmmGetVseg',
  PMEM_GET_PAGES: 'rpcPmemGetPages',
  PMEM_RELEASE_PAGES: 'rpcPmemReleasePages',
  GLOBAL_UPDATE_PTE: 'rpcVmmGlobalUpdatePte',
  SET_COW: 'rpcVmmSetCow',
  MAKE_FORK: 'rpcProcessMakeFork',
  REMOVE_VSEG: 'rpcVmmRemoveVseg',
  CREATE_VSEG: 'rpcVmmCreateVseg',
};

export const rpcSend: Procedure<AlmosShared, SendLocals> = {
  name: 'rpcSend',
  entry: 'send',
  steps: {
    send: {
      footprint: (s, f) => {
        const cxy = f.locals.cxy;
        const grow = needsServer(s, cxy)
          ? [w(`rpcServers.${cxy}`), w(`thread.${s.thread.length}`), w('@spawn')]
          : [];
        return [
          w(`rpc.${cxy}`),
          w('ghost.nextRpc'),
          w(`rpcs.${s.ghost.nextRpc}`),
          w(`rpcIdle.${cxy}`),
          ...grow,
        ];
      },
      run(s, f, ctx) {
        const id = s.ghost.nextRpc++;
        const rpc: Rpc = newRpc(id, f.locals.kind, ctx.tid, f.locals.args);
        s.rpcs[id] = rpc;
        const cxy = f.locals.cxy;
        const grow = needsServer(s, cxy);
        enqueue(s.rpc[cxy] as number[], id);
        if (grow) {
          const n = (s.rpcServers[cxy] as number) + 1;
          s.rpcServers[cxy] = n;
          s.rpcIdle[cxy] = (s.rpcIdle[cxy] as number) + 1;
          s.thread.push({ pid: -1, cxy, core: 0, stack: -1 });
          ctx.spawn(`rpc@c${cxy}#${n}`, 'rpcServer', { cxy }, { daemon: true });
        }
        f.locals.id = id;
        return block(`rpc ${rpc.kind} #${id} to cluster ${f.locals.cxy}`, 'receive');
      },
    },
    receive: {
      footprint: (_s, f) => [w(`rpcs.${f.locals.id}`)],
      run(s, f, ctx) {
        const rpc = s.rpcs[f.locals.id] as Rpc;
        if (!rpc.done) ctx.fail(`rpcSend: woken before RPC #${rpc.id} completed`);
        delete s.rpcs[rpc.id];
        return ret(rpc.result as Value);
      },
    },
  },
};

/** The RPC server thread of cluster `cxy` (local): a daemon looping on its FIFO. */
export const rpcServer: Procedure<AlmosShared, ServerLocals> = {
  name: 'rpcServer',
  entry: 'take',
  steps: {
    take: {
      footprint: (s, f) => {
        const first = head(s.rpc[f.locals.cxy] as number[]);
        return [
          w(`rpc.${f.locals.cxy}`),
          w(`rpcIdle.${f.locals.cxy}`),
          ...(first === undefined ? [] : [r(`rpcs.${first}`)]),
        ];
      },
      guard: (s, f) => (s.rpc[f.locals.cxy] as number[]).length > 0,
      run(s, f) {
        const cxy = f.locals.cxy;
        const id = dequeue(s.rpc[cxy] as number[]) as number;
        s.rpcIdle[cxy] = (s.rpcIdle[cxy] as number) - 1;
        const rpc = s.rpcs[id] as Rpc;
        f.locals.id = id;
        return call(rpcHandlers[rpc.kind], { ...rpc.args } as Locals, 'reply', 'result');
      },
    },
    reply: {
      footprint: (s, f) => [
        w(`rpcs.${f.locals.id}`),
        w(`rpcIdle.${f.locals.cxy}`),
        w(`@t${(s.rpcs[f.locals.id] as Rpc).client}`),
      ],
      run(s, f, ctx) {
        const rpc = s.rpcs[f.locals.id] as Rpc;
        s.rpcIdle[f.locals.cxy] = (s.rpcIdle[f.locals.cxy] as number) + 1;
        completeRpc(rpc, f.locals.result ?? null);
        ctx.wake(asThreadId(rpc.client));
        return 'take';
      },
    },
  },
};

/** Caller side: the `call` of an RPC to cluster `cxy`. */
export function rpc(cxy: number, kind: RpcKind, args: Rpc['args'], next: string, into: string | null = null) {
  return call('rpcSend', { cxy, kind, args } as Locals, next, into);
}

/** Before a request is queued: every server of `cxy` is busy or spoken for, and the pool may grow. */
function needsServer(s: AlmosShared, cxy: number): boolean {
  const pending = (s.rpc[cxy] as number[]).length;
  return (s.rpcIdle[cxy] as number) <= pending && (s.rpcServers[cxy] as number) < rpcServersMax;
}
