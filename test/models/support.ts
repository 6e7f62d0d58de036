/**
 * Test support for the example models: the mayAccess over-approximation check, replayed over a traced
 * execution, and a way to build mutants of a model (one step patched) to show the checks can fail.
 */
import type { Execution } from '../../src/engine/executor.js';
import { overlaps } from '../../src/engine/footprint.js';
import type { Instance } from '../../src/engine/instance.js';
import type { Access, AnyModel, Step } from '../../src/engine/types.js';
import { asThreadId } from '../../src/engine/types.js';
import { fingerprint } from '../../src/engine/value.js';

/** The options every scheduler is built with in these tests. */
export const schedulerOptions = { seed: 1, pctDepth: 3, stepsEstimate: 20 };

/** `may` covers `a`: its path is `a`'s or above it, and it writes if `a` does. */
export function covers(may: Access, a: Access): boolean {
  return (may.write || !a.write) && may.obj.length <= a.obj.length && overlaps(may.obj, a.obj);
}

const show = (a: Access) => `${a.write ? 'w' : 'r'}:${a.obj}`;

/**
 * Re-runs the traced execution `e` step by step and returns every declared access of a step by thread
 * t that some earlier `mayAccess(state, t)` (from any state of the run, up to the step) does not cover.
 */
export function mayAccessProblems<S>(inst: Instance<S>, e: Execution<S>): string[] {
  const mayAccess = inst.model.mayAccess;
  if (mayAccess === undefined) return [`${inst.model.name} declares no mayAccess`];
  if (e.trace === null) return ['execution was not traced'];
  const state = inst.init();
  const seen: { at: number; may: readonly Access[] }[][] = [];
  const problems: string[] = [];
  e.trace.forEach((entry, at) => {
    for (const t of state.threads) {
      const may = mayAccess(state, t.id);
      if (may === null) continue;
      const list = seen[t.id] ?? [];
      list.push({ at, may });
      seen[t.id] = list;
    }
    const tid = asThreadId(entry.tid);
    const declared = inst.footprint(state, tid);
    if (declared === null) problems.push(`step ${entry.step} ${entry.label}: no footprint`);
    for (const a of declared ?? []) {
      for (const s of seen[tid] ?? []) {
        if (!s.may.some((m) => covers(m, a))) {
          problems.push(
            `step ${entry.step} ${entry.label}: ${show(a)} not in mayAccess(T${tid}) of state ${s.at}`,
          );
        }
      }
    }
    const choices = [...entry.choices];
    inst.execStep(state, tid, () => choices.shift() as number);
  });
  if (fingerprint(state) !== fingerprint(e.state)) problems.push('re-execution diverged from the traced run');
  return problems;
}

/** A copy of `model` with one step patched (e.g. its guard removed). */
export function withStep<S>(model: AnyModel, proc: string, label: string, patch: Partial<Step<S>>): AnyModel {
  const p = model.procedures[proc];
  if (p === undefined || p.steps[label] === undefined) throw new Error(`withStep: no step ${proc}.${label}`);
  const steps = { ...p.steps, [label]: { ...p.steps[label], ...patch } };
  return {
    ...model,
    name: `${model.name}-mutant`,
    procedures: { ...model.procedures, [proc]: { ...p, steps } },
  };
}
