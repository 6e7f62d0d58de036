/**
 * Depth-first exhaustive search with a visited set, optional partial-order reduction (persistent
 * sets + stack proviso) and optional preemption bound. Uses an explicit stack (no recursion limit).
 * The counterexample is the stack's path, not necessarily the shortest (use BFS for that).
 */
import { UsageError } from '../errors.js';
import { newHasher } from '../hash.js';
import type { Instance } from '../instance.js';
import type { ThreadId } from '../types.js';
import { countObjects } from '../value.js';
import type { Violation } from '../violation.js';
import { boundedChoices, memoObjectsMin, nodeFingerprint, type SearchNode } from './node.js';
import { invariantReads, persistentSet } from './persistent.js';
import { forEachSuccessor } from './successors.js';
import { type SearchOptions, type SearchResult, searchResult } from './types.js';
import { FingerprintTable } from './visited.js';

interface Frame<S> {
  readonly node: SearchNode<S>;
  readonly key: string;
  /** Decisions of the transition that led here. */
  readonly via: readonly number[];
  /** Remaining [thread, preemptions] to expand. */
  todo: Array<[ThreadId, number]>;
  /** All choices within the bound, kept to fully expand a reduced state (proviso). */
  readonly all: Array<[ThreadId, number]>;
  readonly expanded: Set<ThreadId>;
  /** New successors of the last expanded thread, not yet entered. */
  readonly children: Array<[SearchNode<S>, number[]]>;
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
  const reads = opts.por ? invariantReads(inst) : null;
  const table = new FingerprintTable();
  const onStack = new Set<string>();
  const stack: Array<Frame<S>> = [];
  const fp = new Uint32Array(2);
  const hasher = newHasher();
  const enabled: ThreadId[] = [];
  let transitions = 0;
  let maxDepth = 0;
  let incompleteReason: string | null = null;

  const path = (extra: readonly number[] = []): number[] => [...stack.flatMap((f) => f.via), ...extra];
  const result = (violation: Violation | null, decisions: number[] | null): SearchResult =>
    searchResult(
      {
        states: table.size,
        transitions,
        maxDepth,
        ms: now() - t0,
        visitedBytes: table.bytes,
        incompleteReason,
      },
      violation,
      decisions,
    );

  /** Pushes a stored node on the stack; returns a deadlock found there, or null. */
  const enter = (node: SearchNode<S>, via: readonly number[], key: string): Violation | null => {
    const depth = stack.length;
    const all =
      inst.enabledInto(node.state, enabled) === 0 ? [] : boundedChoices(enabled, node, opts.preemptionBound);
    if (enabled.length === 0 && !inst.allDone(node.state)) {
      return { kind: 'deadlock', name: 'deadlock', message: inst.deadlockMessage(node.state), step: depth };
    }
    let todo = all;
    let reduced = false;
    if (opts.por) {
      const p = persistentSet(inst, node.state, enabled, reads);
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
    stack.push({ node, key, via, todo, all, expanded: new Set(), children: [], reduced, needsFull: false });
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
  const d0 = enter(init, [], `${fp[0]}:${fp[1]}`);
  if (d0) return result(d0, []);

  while (stack.length > 0) {
    const top = stack[stack.length - 1] as Frame<S>;
    const child = top.children.pop();
    if (child !== undefined) {
      nodeFingerprint(hasher, child[0], bounded, fp, memo);
      const deadlock = enter(child[0], child[1], `${fp[0]}:${fp[1]}`);
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
      stack.pop();
      continue;
    }
    const [tid, preemptions] = choice;
    top.expanded.add(tid);
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
        if (table.get(fp) !== -1) return false;
        table.add(fp, table.size);
        const v = inst.checkAfterStep(state, footprint);
        if (v) {
          found = { v: { kind: 'invariant', ...v, step: stack.length }, d: path(decisions) };
          return true;
        }
        top.children.unshift([node, decisions]);
        return false;
      },
      opts.copyOnWrite ?? true,
    );
    if (found !== null) {
      const f = found as { v: Violation; d: number[] };
      return result(f.v, f.d);
    }
    if (table.size >= opts.maxStates) {
      incompleteReason = `state budget ${opts.maxStates} reached`;
      return result(null, null);
    }
  }
  return result(null, null);
}
