/**
 * Stateless enumeration of complete executions (the interleaving count): a depth-first walk of the
 * execution tree without a visited set, optionally pruned by the same persistent sets as the DFS.
 * For finite, acyclic models small enough to count by hand; paths longer than `maxDepth` are counted
 * as cut. Invariants are not checked: this counts, it does not verify.
 */
import type { Instance } from '../instance.js';
import type { SystemState, ThreadId } from '../types.js';
import { invariantReads, persistentSet } from './persistent.js';
import { forEachSuccessor } from './successors.js';

export interface ExecutionCount {
  /** Complete executions (every thread done). */
  readonly complete: number;
  /** Executions ending in a deadlock. */
  readonly deadlocked: number;
  /** Paths cut at maxDepth, or ended by a failing step. */
  readonly cut: number;
}

export function countExecutions<S>(
  inst: Instance<S>,
  opts: { por: boolean; maxDepth: number },
): ExecutionCount {
  const reads = opts.por ? invariantReads(inst) : null;
  let complete = 0;
  let deadlocked = 0;
  let cut = 0;
  const walk = (state: SystemState<S>, depth: number): void => {
    const enabled: ThreadId[] = [];
    if (inst.enabledInto(state, enabled) === 0) {
      if (inst.allDone(state)) complete++;
      else deadlocked++;
      return;
    }
    if (depth >= opts.maxDepth) {
      cut++;
      return;
    }
    const threads = (opts.por ? persistentSet(inst, state, enabled, reads) : null) ?? enabled;
    for (const tid of threads) {
      forEachSuccessor(inst, state, tid, (next, _decisions, failure) => {
        if (failure !== null) cut++;
        else walk(next, depth + 1);
        return false;
      });
    }
  };
  walk(inst.init(), 0);
  return { complete, deadlocked, cut };
}
