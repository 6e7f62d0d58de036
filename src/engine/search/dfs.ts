/**
 * Depth-first exhaustive search with a visited set, optional partial-order reduction (persistent
 * sets + stack proviso) and optional preemption bound. Uses an explicit stack (no recursion limit).
 * The counterexample is the stack's path, not necessarily the shortest (use BFS for that).
 * Non-progress cycles (unless `livelock` is 'off'): every transition among stored states is stored
 * (cycleGraph.ts), with a target-less row for each enabled thread the reduction or the bound left
 * unexpanded, and the graph is checked after the search as in BFS (cycleWitness.ts). Under POR a
 * progress step is visible (never in a reduced set) and the stack proviso makes every cycle of the
 * reduced graph contain a fully expanded state, so the reduced graph has a non-progress cycle iff
 * the full graph has one (Peled, CAV'93; Valmari 1990). Weak fairness is not preserved that way: when
 * a reduced graph (some state kept a reduced expansion) has only unfair non-progress cycles, the
 * search falls back to a full DFS and says so in `note`.
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
import { invariantReads, persistentSet } from './persistent.js';
import { forEachSuccessor } from './successors.js';
import { type SearchOptions, type SearchResult, searchResult } from './types.js';
import { FingerprintTable } from './visited.js';

interface Frame<S> {
  readonly node: SearchNode<S>;
  /** Index of the node in the visited set (a row source of the stored graph). */
  readonly index: number;
  readonly key: string;
  /** Decisions of the transition that led here. */
  readonly via: readonly number[];
  /** Remaining [thread, preemptions] to expand. */
  todo: Array<[ThreadId, number]>;
  /** All choices within the bound, kept to fully expand a reduced state (proviso). */
  readonly all: Array<[ThreadId, number]>;
  readonly expanded: Set<ThreadId>;
  /** Enabled threads (for the stored graph's rows of unexpanded threads). */
  readonly enabled: readonly ThreadId[];
  /** Every non-daemon thread is done: a step from here counts as progress (an idle daemon loop). */
  readonly idle: boolean;
  /** New successors of the last expanded thread, not yet entered, with their indices. */
  readonly children: Array<[SearchNode<S>, number[], number]>;
  reduced: boolean;
  needsFull: boolean;
}

export function dfs<S>(inst: Instance<S>, opts: SearchOptions): SearchResult {
  if (opts.por && opts.preemptionBound !== null) {
    throw new UsageError('partial-order reduction and a preemption bound cannot be combined');
  }
  const now = opts.now ?? (() => 0);
  const t0 = now();
  const bounded = opts.preemptionBound !== null;
  const progressStep = (node: SearchNode<S>, tid: ThreadId): boolean =>
    inst.nextStep(node.state.threads[tid] as Thread).progress === true;
  const reads = opts.por ? invariantReads(inst) : null;
  const livelock = opts.livelock ?? 'fair';
  const graph = livelock === 'off' ? null : new TransitionGraph(false);
  const table = new FingerprintTable();
  const onStack = new Set<string>();
  const stack: Array<Frame<S>> = [];
  const fp = new Uint32Array(2);
  const hasher = newHasher();
  const enabled: ThreadId[] = [];
  let transitions = 0;
  let maxDepth = 0;
  let incompleteReason: string | null = null;
  /** Some state kept a reduced expansion (the stored graph is not the full graph). */
  let pruned = false;

  const path = (extra: readonly number[] = []): number[] => [...stack.flatMap((f) => f.via), ...extra];
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
        visitedBytes: table.bytes + (graph?.bytes ?? 0),
        incompleteReason,
      },
      violation,
      decisions,
      cycleStart,
    );
  /** Rows for the enabled threads of `f` that were not expanded (pruned, bounded or cut). */
  const unexpanded = (f: Frame<S>): void => {
    if (graph !== null) for (const u of f.enabled) if (!f.expanded.has(u)) graph.add(f.index, -1, u, false);
  };
  /** The verdict of a search that found no safety violation: a livelock, or pass/incomplete. */
  const finish = (): SearchResult => {
    for (const f of stack) {
      if (f.reduced) pruned = true;
      unexpanded(f);
    }
    const found = graph === null ? null : checkLivelock(inst, { graph, table, memo, hasher }, opts);
    if (found === 'unfairOnly' && pruned) {
      const full = dfs(inst, { ...opts, por: false });
      return {
        ...full,
        note: 'partial-order reduction does not preserve weak fairness, and the reduced graph has unfair non-progress cycles only: the verdict is that of a full DFS',
      };
    }
    return found === null || found === 'unfairOnly'
      ? result(null, null)
      : result(found.violation, found.decisions, found.cycleStart);
  };

  /** Pushes a stored node on the stack; returns a deadlock found there, or null. */
  const enter = (
    node: SearchNode<S>,
    via: readonly number[],
    key: string,
    index: number,
  ): Violation | null => {
    const depth = stack.length;
    const all =
      inst.enabledInto(node.state, enabled) === 0 ? [] : boundedChoices(enabled, node, opts.preemptionBound);
    if (enabled.length === 0 && !inst.allDone(node.state)) {
      return { kind: 'deadlock', name: 'deadlock', message: inst.deadlockMessage(node.state), step: depth };
    }
    let todo = all;
    let reduced = false;
    if (opts.por) {
      // A progress step is visible for the cycle check: a set holding one is not used.
      const visible = graph === null ? undefined : (u: ThreadId) => progressStep(node, u);
      const p = persistentSet(inst, node.state, enabled, reads, visible);
      if (p !== null) {
        todo = all.filter(([u]) => p.includes(u));
        reduced = todo.length < all.length;
      }
    }
    if (depth >= opts.maxDepth && todo.length > 0) {
      incompleteReason = `depth bound ${opts.maxDepth} reached`;
      todo = [];
      reduced = false;
    }
    stack.push({
      node,
      index,
      key,
      via,
      todo,
      all,
      expanded: new Set(),
      enabled: graph === null ? [] : enabled.slice(),
      idle: graph !== null && inst.allDone(node.state),
      children: [],
      reduced,
      needsFull: false,
    });
    onStack.add(key);
    maxDepth = Math.max(maxDepth, depth);
    return null;
  };

  const init: SearchNode<S> = { state: inst.init(), last: -1, preemptions: 0 };
  const memo = countObjects(init.state.shared, memoObjectsMin) >= memoObjectsMin;
  nodeFingerprint(hasher, init, bounded, fp, memo);
  table.add(fp, 0);
  const v0 = inst.checkAfterStep(init.state);
  if (v0) return result({ kind: 'invariant', ...v0, step: 0 }, []);
  const d0 = enter(init, [], `${fp[0]}:${fp[1]}`, 0);
  if (d0) return result(d0, []);

  while (stack.length > 0) {
    const top = stack[stack.length - 1] as Frame<S>;
    const child = top.children.pop();
    if (child !== undefined) {
      nodeFingerprint(hasher, child[0], bounded, fp, memo);
      const deadlock = enter(child[0], child[1], `${fp[0]}:${fp[1]}`, child[2]);
      if (deadlock) return result(deadlock, path(child[1]));
      continue;
    }
    const choice = top.todo.shift();
    if (choice === undefined) {
      if (top.reduced && top.needsFull) {
        top.reduced = false;
        top.todo = top.all.filter(([u]) => !top.expanded.has(u));
        continue;
      }
      onStack.delete(top.key);
      if (top.reduced) pruned = true;
      unexpanded(top);
      stack.pop();
      continue;
    }
    const [tid, preemptions] = choice;
    top.expanded.add(tid);
    const progress = graph !== null && (top.idle || progressStep(top.node, tid));
    let found: { v: Violation; d: number[] } | null = null;
    forEachSuccessor(
      inst,
      top.node.state,
      tid,
      (state, decisions, failure, footprint) => {
        transitions++;
        if (failure !== null) {
          found = {
            v: { kind: 'assertion', name: 'assertion', message: failure, step: stack.length },
            d: path(decisions),
          };
          return true;
        }
        const node: SearchNode<S> = { state, last: tid, preemptions };
        nodeFingerprint(hasher, node, bounded, fp, memo);
        if (top.reduced && onStack.has(`${fp[0]}:${fp[1]}`)) top.needsFull = true;
        const known = table.get(fp);
        const index = known === -1 ? table.size : known;
        graph?.add(top.index, index, tid, progress);
        if (known !== -1) return false;
        table.add(fp, index);
        const v = inst.checkAfterStep(state, footprint);
        if (v) {
          found = { v: { kind: 'invariant', ...v, step: stack.length }, d: path(decisions) };
          return true;
        }
        top.children.unshift([node, decisions, index]);
        return false;
      },
      opts.copyOnWrite ?? true,
      opts.auditFootprints ?? false,
    );
    if (found !== null) {
      const f = found as { v: Violation; d: number[] };
      return result(f.v, f.d);
    }
    if (table.size >= opts.maxStates) {
      incompleteReason = `state budget ${opts.maxStates} reached`;
      return finish();
    }
  }
  return finish();
}
