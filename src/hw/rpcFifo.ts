/**
 * RPC FIFOs: each cluster has a FIFO of pending requests, named by the ids of their descriptors
 * (the descriptor itself lives in the client's stack; a model keeps them in a table by id). A client
 * builds a descriptor, enqueues its id in the target's FIFO and waits for `done`; a server thread of
 * the target dequeues ids oldest first and completes the descriptor.
 *
 * Contract: pure functions on plain data (no steps): FIFO order (`dequeue` returns the oldest id,
 * `head` peeks at it; both give undefined on an empty FIFO); `newRpc` makes a pending descriptor
 * (`result` null, `done` false); `completeRpc` writes the result then sets `done`. A model narrows
 * `Rpc` to its own kinds and result type.
 */

export type RpcArgs = { [key: string]: number | string | boolean | null };

/** An RPC descriptor. */
export interface Rpc {
  id: number;
  kind: string;
  /** The client thread (woken when the RPC completes). */
  client: number;
  args: RpcArgs;
  result: unknown;
  done: boolean;
}

/** One empty FIFO per cluster. */
export const newFifos = (clusters: number): number[][] => Array.from({ length: clusters }, () => []);

export function newRpc<K extends string>(id: number, kind: K, client: number, args: RpcArgs) {
  return { id, kind, client, args, result: null, done: false };
}

export function enqueue(fifo: number[], id: number): void {
  fifo.push(id);
}

export const head = (fifo: readonly number[]): number | undefined => fifo[0];

export function dequeue(fifo: number[]): number | undefined {
  return fifo.shift();
}

export function completeRpc<R extends { result: unknown; done: boolean }>(rpc: R, result: R['result']): void {
  rpc.result = result;
  rpc.done = true;
}
