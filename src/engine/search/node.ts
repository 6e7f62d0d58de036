/**
 * Search nodes: a state plus, under a preemption bound, the thread that ran last and the preemptions
 * used so far (both part of the node's identity then). Shared by BFS and DFS.
 * A preemption is a switch away from a thread that is still enabled (Musuvathi & Qadeer, PLDI'07).
 */

import type { Hasher } from '../hash.js';
import type { SystemState, ThreadId } from '../types.js';

export interface SearchNode<S> {
  readonly state: SystemState<S>;
  readonly last: ThreadId | -1;
  readonly preemptions: number;
}

/**
 * Memoising object digests pays off on large shared states (kernel models) and costs on tiny ones
 * (the examples): decided once per search from the initial state's size.
 */
export const memoObjectsMin = 32;

/** The node's fingerprint into `out`, computed by the search's own `hasher`. */
export function nodeFingerprint<S>(
  hasher: Hasher,
  node: SearchNode<S>,
  bounded: boolean,
  out: Uint32Array,
  memo = true,
): void {
  hasher.fingerprintStateInto(node.state, out, bounded ? [node.last, node.preemptions] : [], memo);
}

/**
 * Threads that may run from `node` within the bound: all enabled ones, or only the last thread when
 * the budget is spent and it is still enabled. Returns [thread, preemptions after] pairs.
 */
export function boundedChoices<S>(
  enabled: readonly ThreadId[],
  node: SearchNode<S>,
  bound: number | null,
): Array<[ThreadId, number]> {
  const lastEnabled = node.last !== -1 && enabled.includes(node.last);
  const out: Array<[ThreadId, number]> = [];
  for (const t of enabled) {
    const pre = lastEnabled && t !== node.last ? node.preemptions + 1 : node.preemptions;
    if (bound === null || pre <= bound) out.push([t, pre]);
  }
  return out;
}
