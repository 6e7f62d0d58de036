/** src/hw/rpcFifo.ts: FIFO order, pending descriptors and completion. */
import { describe, expect, it } from 'vitest';
import { completeRpc, dequeue, enqueue, head, newFifos, newRpc } from '../../src/hw/rpcFifo.js';

describe('hw/rpcFifo', () => {
  it('one empty FIFO per cluster, not shared', () => {
    const fifos = newFifos(3);
    expect(fifos).toEqual([[], [], []]);
    enqueue(fifos[0] as number[], 1);
    expect(fifos).toEqual([[1], [], []]);
  });

  it('dequeues in FIFO order; head peeks at the oldest', () => {
    const q: number[] = [];
    expect(head(q)).toBeUndefined();
    expect(dequeue(q)).toBeUndefined();
    enqueue(q, 5);
    enqueue(q, 2);
    enqueue(q, 9);
    expect(head(q)).toBe(5);
    expect(q).toEqual([5, 2, 9]);
    expect(dequeue(q)).toBe(5);
    enqueue(q, 1);
    expect([dequeue(q), dequeue(q), dequeue(q)]).toEqual([2, 9, 1]);
    expect(q).toEqual([]);
  });

  it('newRpc makes a pending descriptor; completeRpc sets the result and done', () => {
    const rpc = newRpc(4, 'GET_VSEG', 2, { vpn: 3 });
    expect(rpc).toEqual({ id: 4, kind: 'GET_VSEG', client: 2, args: { vpn: 3 }, result: null, done: false });
    // The key order is part of the state's JSON (traces and fingerprints).
    expect(Object.keys(rpc)).toEqual(['id', 'kind', 'client', 'args', 'result', 'done']);
    const d: { result: number | null; done: boolean } = rpc;
    completeRpc(d, 12);
    expect(d).toMatchObject({ result: 12, done: true });
  });
});
