/**
 * Successors of a state by one thread: one per vector of data choices the step can make. The step is
 * re-run on a fresh clone for each vector, enumerated depth-first (a forced prefix, then zeros,
 * recording arities), so a step with choices of arities 2 and 3 yields 6 successors.
 * Each successor carries its decisions in executor encoding (2*tid, then 2*c+1 per choice), and the
 * message of a ModelFailure when the step failed (its state is then partial and must not be explored).
 * With `audit`, every step's writes are checked against its declared footprint (audit.ts).
 */
import { HarnessError, ModelFailure } from '../errors.js';
import type { Instance } from '../instance.js';
import type { Access, SystemState, Thread, ThreadId } from '../types.js';
import { cloneValue } from '../value.js';
import { auditSteps } from './audit.js';
import { copyForWrites } from './copyOnWrite.js';

/** `footprint`: the step's declared footprint (null when unknown or not computed). */
export type SuccessorVisitor<S> = (
  next: SystemState<S>,
  decisions: number[],
  failure: string | null,
  footprint: readonly Access[] | null,
) => boolean;

/**
 * Calls `visit` for every successor; stops early (returning true) when `visit` returns true. Throws a
 * HarnessError, with `audit`, at the first step writing what its footprint does not declare.
 */
export function forEachSuccessor<S>(
  inst: Instance<S>,
  state: SystemState<S>,
  tid: ThreadId,
  visit: SuccessorVisitor<S>,
  copyOnWrite = true,
  audit = false,
): boolean {
  let prefix: number[] = [];
  const declared = copyOnWrite || audit ? inst.footprint(state, tid) : null;
  const footprint = copyOnWrite ? declared : null;
  const auditor = audit ? auditSteps(inst, state, tid, declared) : null;
  for (;;) {
    const values: number[] = [];
    const arities: number[] = [];
    const next = cloneForStep(state, tid, footprint);
    let failure: string | null = null;
    try {
      inst.execStep(next, tid, (arity) => {
        const i = values.length;
        const v = i < prefix.length ? (prefix[i] as number) : 0;
        values.push(v);
        arities.push(arity);
        return v;
      });
    } catch (e) {
      if (auditor !== null && e instanceof HarnessError) auditor.explain(e, values);
      if (!(e instanceof ModelFailure)) throw e;
      failure = e.message;
    }
    auditor?.check(next);
    const decisions = [2 * tid];
    for (const v of values) decisions.push(2 * v + 1);
    if (visit(next, decisions, failure, footprint)) return true;
    let j = values.length - 1;
    while (j >= 0 && (values[j] as number) + 1 >= (arities[j] as number)) j--;
    if (j < 0) return false;
    prefix = values.slice(0, j);
    prefix.push((values[j] as number) + 1);
  }
}

/**
 * A copy of what a step of `tid` may write in place: the stepping thread, and the shared objects on
 * its declared write paths (copyOnWrite.ts); other threads and shared objects are shared (execStep
 * copies a thread before waking it).
 */
function cloneForStep<S>(
  state: SystemState<S>,
  tid: ThreadId,
  footprint: readonly Access[] | null,
): SystemState<S> {
  const threads = state.threads.slice();
  threads[tid] = cloneValue(state.threads[tid] as Thread);
  return { shared: copyForWrites(state.shared, footprint), threads };
}
