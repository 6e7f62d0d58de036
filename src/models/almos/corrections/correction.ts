/**
 * What a correction is: the knob values that select it, and for each procedure it changes, how to
 * build the corrected variant from the procedure it overrides (the documented one, or another
 * correction's variant of it). Corrections are built once per configuration (corrections/index.ts).
 * And how a correction overrides a procedure step by step, so that it reads as a diff of it:
 * `stepOf` names a step of it (which must exist), `continuingAt` keeps a step as it is but changes
 * where it goes on, `callingInstead` keeps it but changes which procedure it calls.
 */
import type { Frame, Locals, Procedure, Step, StepResult } from '../../../engine/types.js';
import type { Knobs } from '../knobs.js';
import type { AlmosShared } from '../state.js';

export interface Correction {
  /** Whether the knobs select this correction. */
  readonly selected: (knobs: Knobs) => boolean;
  /** The corrected variant of each procedure it changes, from the procedure it overrides. */
  readonly procedures: {
    readonly [name: string]: (base: Procedure<AlmosShared>, knobs: Knobs) => Procedure<AlmosShared>;
  };
  /** Procedures only its variants call (in every procedure table, so they can be overridden too). */
  readonly adds: readonly Procedure<AlmosShared>[];
}

/** The step `label` of `p` (a correction only overrides steps that exist). */
export function stepOf<S, L extends Locals>(p: Procedure<S, L>, label: string): Step<S, L> {
  const step = p.steps[label];
  if (step === undefined) throw new Error(`almos correction: ${p.name} has no step '${label}'`);
  return step;
}

type Relabel = { readonly [from: string]: string };

/**
 * `step`, going on at `to[x]` wherever it would go on at `x`: its next label, or the label its call
 * (or block) resumes at. `to` sees the state and frame after the step ran. What the step does — its
 * effects, its call, its footprint — is unchanged.
 */
export function continuingAt<S, L extends Locals>(
  step: Step<S, L>,
  to: (s: S, f: Frame<L>) => Relabel,
): Step<S, L> {
  return {
    ...step,
    run(s, f, ctx) {
      return relabel(step.run(s, f, ctx), to(s, f));
    },
  };
}

function relabel(r: StepResult, to: Relabel): StepResult {
  const at = (label: string) => (Object.hasOwn(to, label) ? (to[label] as string) : label);
  if (typeof r === 'string') return at(r);
  if (r.k === 'call') return at(r.ret) === r.ret ? r : { ...r, ret: at(r.ret) };
  if (r.k === 'block') return at(r.next) === r.next ? r : { ...r, next: at(r.next) };
  return r;
}

type Rename = { readonly [from: string]: string };

/**
 * `step`, calling procedure `to[p]` wherever it would call `p`. What the step does otherwise — its
 * effects, arguments, return label, footprint — is unchanged.
 */
export function callingInstead<S, L extends Locals>(step: Step<S, L>, to: Rename): Step<S, L> {
  return {
    ...step,
    run(s, f, ctx) {
      const r = step.run(s, f, ctx);
      if (typeof r === 'string' || r.k !== 'call' || !Object.hasOwn(to, r.proc)) return r;
      return { ...r, proc: to[r.proc] as string };
    },
  };
}
