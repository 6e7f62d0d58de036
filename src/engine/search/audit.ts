/**
 * Footprint audit of search steps (SearchOptions.auditFootprints): every step the search executes
 * has its real writes checked against its declared footprint, as traced executions do (executor.ts:
 * a diff of the state before and after, judged by validateFootprint). Invariant skipping,
 * copy-on-write successors and POR all trust footprints; this is the check that they may.
 *
 * Under copy-on-write a successor shares every undeclared object with its parent, so a step writing
 * one in place would change the parent too and a diff would see nothing. The audit therefore freezes
 * the parent state before expanding it: such a write throws (modules run in strict mode), and the
 * step is re-run on an unfrozen full copy to name the path it wrote. Cost: freezing each state's new
 * objects once, and a diff that stops at objects shared with the parent.
 */
import { HarnessError } from '../errors.js';
import { validateFootprint } from '../footprint.js';
import type { Instance } from '../instance.js';
import type { Access, SystemState, Thread, ThreadId } from '../types.js';
import { cloneValue } from '../value.js';

/** Freezes `v` and everything below it; an object already frozen is skipped (frozen here, whole). */
export function deepFreeze(v: unknown): void {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) freezeBelow(v);
}

/** Precondition: `o` is not frozen. Children are tested here, sparing a call per number. */
function freezeBelow(o: object): void {
  if (Array.isArray(o)) {
    for (let i = 0; i < o.length; i++) {
      const x: unknown = o[i];
      if (typeof x === 'object' && x !== null && !Object.isFrozen(x)) freezeBelow(x);
    }
  } else {
    for (const k in o) {
      const x: unknown = (o as Record<string, unknown>)[k];
      if (typeof x === 'object' && x !== null && !Object.isFrozen(x)) freezeBelow(x);
    }
  }
  Object.freeze(o);
}

/**
 * Paths (dotted, as diffValues names them) where `b` differs from `a`, in no particular order. Stops
 * at identical objects: cheap between a state and its copy-on-write successor.
 */
export function changedPaths(a: unknown, b: unknown, path = '', out: { path: string }[] = []) {
  if (a === b) return out;
  const objects = typeof a === 'object' && a !== null && typeof b === 'object' && b !== null;
  if (!objects || Array.isArray(a) !== Array.isArray(b)) {
    out.push({ path });
    return out;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const prefix = path === '' ? '' : `${path}.`;
  for (const k in x) if (x[k] !== y[k]) changedPaths(x[k], y[k], prefix + k, out);
  for (const k in y) if (!(k in x)) changedPaths(undefined, y[k], prefix + k, out);
  return out;
}

export interface StepAudit<S> {
  /** Throws a HarnessError when `next` (the parent after one step of the thread) has an undeclared write. */
  check(next: SystemState<S>): void;
  /**
   * Called when the step threw a HarnessError on the frozen parent's copy: re-runs it on a full copy
   * with the same data choices and throws the footprint error that explains it, else rethrows.
   */
  explain(error: HarnessError, choices: readonly number[]): never;
}

/** Audit of the steps of thread `tid` from `state` (frozen from now on), declared as `footprint`. */
export function auditSteps<S>(
  inst: Instance<S>,
  state: SystemState<S>,
  tid: ThreadId,
  footprint: readonly Access[] | null,
): StepAudit<S> {
  deepFreeze(state);
  const label = inst.label(state.threads[tid] as Thread);
  const check = (next: SystemState<S>): void => {
    if (footprint === null) return; // no declaration: nothing is trusted, nothing to check
    const shared = changedPaths(state.shared, next.shared);
    const others: number[] = [];
    for (const t of next.threads) {
      const old = state.threads[t.id];
      if (t.id !== tid && old !== undefined && changedPaths(old, t).length > 0) others.push(t.id);
    }
    validateFootprint(label, footprint, shared, others, next.threads.length > state.threads.length);
  };
  return {
    check,
    explain(error, choices) {
      const next = cloneValue(state);
      let i = 0;
      try {
        inst.execStep(next, tid, () => (i < choices.length ? (choices[i++] as number) : 0));
      } catch (e) {
        if (e instanceof HarnessError) throw error; // fails unfrozen too: not a write of a shared object
      }
      check(next);
      throw new HarnessError(
        `footprint of ${label} misses a write to an object it shares with the parent state, undone before the step ended (${error.message})`,
      );
    },
  };
}
