/**
 * Exhaustive search options and results. BFS finds a shortest counterexample; DFS optionally applies
 * partial-order reduction (persistent sets from footprints) and a preemption bound. Both then look for
 * non-progress cycles (livelock) in the graph of stored states. Counterexamples are decision lists
 * (executor encoding) so they replay like any random run.
 */
import type { Violation } from '../violation.js';

export interface SearchOptions {
  readonly strategy: 'bfs' | 'dfs';
  /** Partial-order reduction (DFS only). */
  readonly por: boolean;
  /** Maximum number of preemptions along a path (null = unbounded). */
  readonly preemptionBound: number | null;
  /** Stop with verdict 'incomplete' after storing this many distinct states. */
  readonly maxStates: number;
  /** Paths longer than this are cut (verdict 'incomplete' if any was cut). */
  readonly maxDepth: number;
  /**
   * Successor states copy only what each step's footprint writes (default true); false copies the
   * whole shared state (slower; a cross-check of the footprints).
   */
  readonly copyOnWrite?: boolean;
  /**
   * Non-progress cycle detection after the search (cycles.ts): 'fair' (default) reports a cycle none
   * of whose steps is a progress step only when it is weakly fair (every thread enabled in all of its
   * states takes a step in it); 'any' reports every such cycle (SPIN without -f); 'off' skips it and
   * stores no transitions.
   */
  readonly livelock?: 'fair' | 'any' | 'off';
  /**
   * Check every executed step's writes against its declared footprint (audit.ts; default false). A
   * step writing what it does not declare throws a HarnessError naming the step and the path.
   */
  readonly auditFootprints?: boolean;
  /** Clock in ms, injected by the CLI or bench (the engine itself never reads a clock). */
  readonly now?: () => number;
}

export const defaultSearchOptions: SearchOptions = {
  strategy: 'bfs',
  por: false,
  preemptionBound: null,
  maxStates: 2_000_000,
  maxDepth: 10_000,
};

export interface SearchResult {
  readonly verdict: 'pass' | 'violation' | 'incomplete';
  readonly violation: Violation | null;
  /** Decisions of the counterexample (replayable), when a violation was found. */
  readonly decisions: readonly number[] | null;
  /** For a livelock: the index in `decisions` where one turn of the cycle starts, else null. */
  readonly cycleStart: number | null;
  /** Distinct states stored in the visited set. */
  readonly states: number;
  /** Transitions executed (successor computations, including those reaching known states). */
  readonly transitions: number;
  readonly maxDepth: number;
  /** Elapsed time when a clock was given, else 0. */
  readonly ms: number;
  /** Bytes of the visited set (fingerprints, parents, transitions, stored graph) per stored state. */
  readonly bytesPerState: number;
  /** Upper estimate of the probability that two distinct states shared a 64-bit fingerprint. */
  readonly collisionProbability: number;
  /** Why the verdict is 'incomplete' (budget hit), else null. */
  readonly incompleteReason: string | null;
  /** Something the user should know about how the verdict was reached (a fallback), else null. */
  readonly note: string | null;
}

/** Counters a search keeps while it runs, turned into a SearchResult by `searchResult`. */
export interface SearchStats {
  readonly states: number;
  readonly transitions: number;
  readonly maxDepth: number;
  readonly ms: number;
  /** Bytes of the visited-state storage. */
  readonly visitedBytes: number;
  readonly incompleteReason: string | null;
}

export function searchResult(
  stats: SearchStats,
  violation: Violation | null,
  decisions: number[] | null,
  cycleStart: number | null = null,
): SearchResult {
  const n = stats.states;
  return {
    verdict: violation ? 'violation' : stats.incompleteReason ? 'incomplete' : 'pass',
    violation,
    decisions,
    cycleStart,
    states: n,
    transitions: stats.transitions,
    maxDepth: stats.maxDepth,
    ms: stats.ms,
    bytesPerState: n === 0 ? 0 : stats.visitedBytes / n,
    // Upper estimate of a collision among n distinct 64-bit fingerprints: n(n-1)/2 / 2^64.
    collisionProbability: Math.min(1, (n * (n - 1)) / 2 / 2 ** 64),
    incompleteReason: stats.incompleteReason,
    note: null,
  };
}
