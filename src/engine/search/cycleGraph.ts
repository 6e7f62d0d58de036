/**
 * The stored state graph that non-progress cycle detection runs on after a search: one row per
 * transition between stored states (source index, target index, thread, progress bit) in growable
 * typed columns. A row with target -1 only records that its thread is enabled in the source (a
 * successor the search did not compute, pruned by partial-order reduction or a preemption bound):
 * the fairness check needs every enabled thread, the cycle search only computed successors.
 * `sequential` (BFS: states are expanded in index order) keeps the first row of each source instead
 * of a source per row: 4 bytes a state plus 5 a row; otherwise (DFS) 9 bytes a row.
 */
import { UsageError } from '../errors.js';

/** Threads a row can name (7 bits; the eighth is the progress bit). */
export const cycleThreadsMax = 128;

export class TransitionGraph {
  /** Sequential: first row of each source so far; else the source of each row. */
  private sources = new Int32Array(64);
  /** Sequential: sources whose first row is recorded (the rest have none yet). */
  private opened = 0;
  private target = new Int32Array(64);
  /** tid << 1 | progress. */
  private meta = new Uint8Array(64);
  length = 0;

  constructor(readonly sequential: boolean) {}

  /** Precondition when sequential: `from` is at least the previous row's source. */
  add(from: number, to: number, tid: number, progress: boolean): void {
    if (tid >= cycleThreadsMax)
      throw new UsageError(
        `livelock detection handles at most ${cycleThreadsMax} threads (use livelock 'off')`,
      );
    const n = this.length;
    if (n === this.target.length) {
      this.target = grown(this.target, n * 2);
      this.meta = grown(this.meta, n * 2);
    }
    if (this.sequential) this.open(from + 1);
    else {
      if (n === this.sources.length) this.sources = grown(this.sources, n * 2);
      this.sources[n] = from;
    }
    this.target[n] = to;
    this.meta[n] = (tid << 1) | (progress ? 1 : 0);
    this.length = n + 1;
  }

  from(e: number): number {
    if (!this.sequential) return this.sources[e] as number;
    // The last source whose first row is at or before e.
    let lo = 0;
    let hi = this.opened - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.sources[mid] as number) <= e) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
  to(e: number): number {
    return this.target[e] as number;
  }
  tid(e: number): number {
    return (this.meta[e] as number) >> 1;
  }
  /** A computed transition that is not a progress step (an edge of the non-progress graph). */
  stalls(e: number): boolean {
    return (this.target[e] as number) >= 0 && ((this.meta[e] as number) & 1) === 0;
  }

  /**
   * Rows grouped by source: the rows of state s are `order[start[s] .. start[s+1])` (order null =
   * the identity: sequential rows are grouped already).
   */
  bySource(states: number): { start: Int32Array; order: Int32Array | null } {
    const start = new Int32Array(states + 1);
    if (this.sequential) {
      this.open(states);
      start.set(this.sources.subarray(0, states));
      start[states] = this.length;
      return { start, order: null };
    }
    for (let e = 0; e < this.length; e++) {
      const s = (this.sources[e] as number) + 1;
      start[s] = (start[s] as number) + 1;
    }
    for (let s = 0; s < states; s++) start[s + 1] = (start[s + 1] as number) + (start[s] as number);
    const next = start.slice(0, states);
    const order = new Int32Array(this.length);
    for (let e = 0; e < this.length; e++) {
      const s = this.sources[e] as number;
      order[next[s] as number] = e;
      next[s] = (next[s] as number) + 1;
    }
    return { start, order };
  }

  get bytes(): number {
    return this.sources.byteLength + this.target.byteLength + this.meta.byteLength;
  }

  /** Sequential: sources below `count` get their first row (the next row, when they have none). */
  private open(count: number): void {
    if (count <= this.opened) return;
    let cap = this.sources.length;
    while (cap < count) cap *= 2;
    if (cap > this.sources.length) this.sources = grown(this.sources, cap);
    this.sources.fill(this.length, this.opened, count);
    this.opened = count;
  }
}

function grown<T extends Int32Array | Uint8Array>(a: T, capacity: number): T {
  const b = new (a.constructor as new (n: number) => T)(capacity);
  b.set(a);
  return b;
}
