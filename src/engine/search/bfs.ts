/**
 * Breadth-first exhaustive search with a visited set of 64-bit fingerprints. Level order makes the
 * first violation found a shortest counterexample (fewest steps). Per stored state it keeps a parent
 * index and a transition id; the counterexample's decisions are rebuilt from that chain. Unless
 * `livelock` is 'off' it also stores every transition among stored states (cycleGraph.ts) and, when
 * no safety violation was found (pass or budget hit), reports a non-progress cycle (cycleWitness.ts).
 */
import { UsageError } from '../errors.js';
import { newHasher } from '../hash.js';
import type { Instance } from '../instance.js';
import type { Thread, ThreadId } from '../types.js';
import { countObjects } from '../value.js';
import type { Violation } from '../violation.js';
import { TransitionGraph } from './cycleGraph.js';
import { checkLivelock } from './cycleWitness.js';
import { boundedChoices, memoObjectsMin, nodeFingerprint, type SearchNode } from './node.js';
import { forEachSuccessor } from './successors.js';
import { type SearchOptions, type SearchResult, searchResult } from './types.js';
import { FingerprintTable, IntColumn } from './visited.js';

export function bfs<S>(inst: Instance<S>, opts: SearchOptions): SearchResult {
  if (opts.por) throw new UsageError('partial-order reduction is available with DFS only');
  const now = opts.now ?? (() => 0);
  const t0 = now();
  const bounded = opts.preemptionBound !== null;
  const table = new FingerprintTable();
  const parent = new IntColumn();
  const via = new IntColumn();
  const transitionIds = new Map<string, number>();
  const transitionList: number[][] = [];
  const graph = (opts.livelock ?? 'fair') === 'off' ? null : new TransitionGraph(true);
  const fp = new Uint32Array(2);
  const hasher = newHasher();
  let transitions = 0;
  let maxDepth = 0;
  let incompleteReason: string | null = null;

  const pathTo = (index: number, extra: readonly number[] = []): number[] => {
    const parts: number[][] = [extra as number[]];
    for (let i = index; parent.at(i) !== -1; i = parent.at(i))
      parts.push(transitionList[via.at(i)] as number[]);
    return parts.reverse().flat();
  };
  const result = (
    violation: Violation | null,
    decisions: number[] | null,
    cycleStart: number | null = null,
  ): SearchResult =>
    searchResult(
      {
        states: table.size,
        transitions,
        maxDepth,
        ms: now() - t0,
        visitedBytes: table.bytes + parent.bytes + via.bytes + (graph?.bytes ?? 0),
        incompleteReason,
      },
      violation,
      decisions,
      cycleStart,
    );
  /** The verdict of a search that found no safety violation: a livelock, or pass/incomplete. */
  const finish = (): SearchResult => {
    const livelock = graph === null ? null : checkLivelock(inst, { graph, table, memo, hasher }, opts);
    return livelock === null || livelock === 'unfairOnly'
      ? result(null, null)
      : result(livelock.violation, livelock.decisions, livelock.cycleStart);
  };
  const internTransition = (decisions: number[]): number => {
    const key = decisions.join(',');
    let id = transitionIds.get(key);
    if (id === undefined) {
      id = transitionList.length;
      transitionIds.set(key, id);
      transitionList.push(decisions);
    }
    return id;
  };

  const init: SearchNode<S> = { state: inst.init(), last: -1, preemptions: 0 };
  const memo = countObjects(init.state.shared, memoObjectsMin) >= memoObjectsMin;
  nodeFingerprint(hasher, init, bounded, fp, memo);
  table.add(fp, 0);
  parent.push(-1);
  via.push(-1);
  const v0 = inst.checkAfterStep(init.state);
  if (v0) return result({ kind: 'invariant', ...v0, step: 0 }, []);

  let frontier: Array<SearchNode<S>> = [init];
  let frontierIndex: number[] = [0];
  const enabled: ThreadId[] = [];
  for (let depth = 0; frontier.length > 0; depth++) {
    maxDepth = depth;
    const next: Array<SearchNode<S>> = [];
    const nextIndex: number[] = [];
    for (let k = 0; k < frontier.length; k++) {
      const node = frontier[k] as SearchNode<S>;
      const index = frontierIndex[k] as number;
      if (inst.enabledInto(node.state, enabled) === 0) {
        if (inst.allDone(node.state)) continue;
        const message = inst.deadlockMessage(node.state);
        return result({ kind: 'deadlock', name: 'deadlock', message, step: depth }, pathTo(index));
      }
      if (depth >= opts.maxDepth) {
        incompleteReason = `depth bound ${opts.maxDepth} reached`;
        continue;
      }
      let found: { v: Violation; d: number[] } | null = null;
      const choices = boundedChoices(enabled, node, opts.preemptionBound);
      // A step taken once every non-daemon thread is done counts as progress (an idle daemon loop).
      const idle = graph !== null && inst.allDone(node.state);
      if (graph !== null && choices.length < enabled.length) {
        for (const u of enabled) if (!choices.some(([t]) => t === u)) graph.add(index, -1, u, false);
      }
      for (const [tid, preemptions] of choices) {
        const progress = idle || inst.nextStep(node.state.threads[tid] as Thread).progress === true;
        const stop = forEachSuccessor(
          inst,
          node.state,
          tid,
          (state, decisions, failure, footprint) => {
            transitions++;
            if (failure !== null) {
              found = {
                v: { kind: 'assertion', name: 'assertion', message: failure, step: depth + 1 },
                d: pathTo(index, decisions),
              };
              return true;
            }
            const child: SearchNode<S> = { state, last: tid, preemptions };
            nodeFingerprint(hasher, child, bounded, fp, memo);
            const known = table.get(fp);
            graph?.add(index, known === -1 ? table.size : known, tid, progress);
            if (known !== -1) return false;
            const childIndex = table.size;
            table.add(fp, childIndex);
            parent.push(index);
            via.push(internTransition(decisions));
            const v = inst.checkAfterStep(state, footprint);
            if (v) {
              found = { v: { kind: 'invariant', ...v, step: depth + 1 }, d: pathTo(childIndex) };
              return true;
            }
            next.push(child);
            nextIndex.push(childIndex);
            return false;
          },
          opts.copyOnWrite ?? true,
          opts.auditFootprints ?? false,
        );
        if (stop) break;
      }
      if (found !== null) {
        const f = found as { v: Violation; d: number[] };
        maxDepth = depth + 1;
        return result(f.v, f.d);
      }
      if (table.size >= opts.maxStates) {
        incompleteReason = `state budget ${opts.maxStates} reached`;
        return finish();
      }
    }
    frontier = next;
    frontierIndex = nextIndex;
  }
  return finish();
}
