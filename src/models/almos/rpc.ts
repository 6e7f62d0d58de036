/**
 * RPCs (shared/spec/almos-mkh.md, "Machine"): the client enqueues a request in the target cluster's
 * FIFO and blocks; the target's server thread (a daemon, one per cluster) takes requests in FIFO
 * order, runs the handler procedure (its own atomic steps, in the server's cluster), writes the result
 * into the client's descriptor and unblocks the client.
 * `rpcSend` locals in: `cxy`, `kind`, `args`; returns the handler's result.
 */
import type { Locals, Procedure, Value } from '../../engine/types.js';
import { asThreadId, block, call, ret } from '../../engine/types.js';
import type { AlmosShared, Rpc, RpcKind } from './state.js';
import { r, w } from './util.js';

type P = Procedure<AlmosShared>;

/** The handler procedure of each RPC kind. */
export const rpcHandlers: { readonly [K in RpcKind]: string } = {
  GET_VSEG: 'rpcVmmGetVseg',
  PMEM_GET_PAGES: 'rpcPmemGetPages',
  PMEM_RELEASE_PAGES: 'rpcPmemReleasePages',
  GLOBAL_UPDATE_PTE: 'rpcVmmGlobalUpdatePte',
  SET_COW: 'rpcVmmSetCow',
  MAKE_FORK: 'rpcProcessMakeFork',
  REMOVE_VSEG: 'rpcVmmRemoveVseg',
};

export const rpcSend: P = {
  name: 'rpcSend',
  entry: 'send',
  steps: {
    send: {
      footprint: (s, f) => [w(`rpc.${f.locals.cxy}`), w('ghost.nextRpc'), w(`rpcs.${s.ghost.nextRpc}`)],
      run(s, f, ctx) {
        const id = s.ghost.nextRpc++;
        const rpc: Rpc = {
          id,
          kind: f.locals.kind as RpcKind,
          client: ctx.tid,
          args: f.locals.args as Rpc['args'],
          result: null,
          done: false,
        };
        s.rpcs[id] = rpc;
        (s.rpc[f.locals.cxy as number] as number[]).push(id);
        f.locals.id = id;
        return block(`rpc ${rpc.kind} #${id} to cluster ${f.locals.cxy}`, 'receive');
      },
    },
    receive: {
      footprint: (_s, f) => [w(`rpcs.${f.locals.id}`)],
      run(s, f, ctx) {
        const rpc = s.rpcs[f.locals.id as number] as Rpc;
        if (!rpc.done) ctx.fail(`rpcSend: woken before RPC #${rpc.id} completed`);
        delete s.rpcs[rpc.id];
        return ret(rpc.result as Value);
      },
    },
  },
};

/** The RPC server thread of cluster `cxy` (local): a daemon looping on its FIFO. */
export const rpcServer: P = {
  name: 'rpcServer',
  entry: 'take',
  steps: {
    take: {
      footprint: (s, f) => {
        const head = (s.rpc[f.locals.cxy as number] as number[])[0];
        return [w(`rpc.${f.locals.cxy}`), ...(head === undefined ? [] : [r(`rpcs.${head}`)])];
      },
      guard: (s, f) => (s.rpc[f.locals.cxy as number] as number[]).length > 0,
      run(s, f) {
        const id = (s.rpc[f.locals.cxy as number] as number[]).shift() as number;
        const rpc = s.rpcs[id] as Rpc;
        f.locals.id = id;
        return call(rpcHandlers[rpc.kind], { ...rpc.args } as Locals, 'reply', 'result');
      },
    },
    reply: {
      footprint: (s, f) => [
        w(`rpcs.${f.locals.id}`),
        w(`@t${(s.rpcs[f.locals.id as number] as Rpc).client}`),
      ],
      run(s, f, ctx) {
        const rpc = s.rpcs[f.locals.id as number] as Rpc;
        rpc.result = (f.locals.result ?? null) as Rpc['result'];
        rpc.done = true;
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
