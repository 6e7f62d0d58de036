/**
 * What an execution or a search can find. `name` is the invariant name, or one of the built-in
 * checks: `assertion` (the model called ctx.fail), `deadlock`, `livelock` (the step budget exhausted,
 * or a non-progress cycle: a run that returns to a state it was in without a progress step).
 */
export type ViolationKind = 'invariant' | 'assertion' | 'deadlock' | 'livelock';

export interface Violation {
  readonly kind: ViolationKind;
  readonly name: string;
  readonly message: string;
  /** Number of steps taken when it was detected. */
  readonly step: number;
  /**
   * A non-progress cycle: the state after `prefix` steps recurs after `prefix + length` steps, and
   * none of those `length` steps is a progress step. Absent for every other violation.
   */
  readonly cycle?: { readonly prefix: number; readonly length: number };
}

/**
 * The livelock of a non-progress cycle. `unfair` names the threads enabled in every state of the
 * cycle that never take a step in it (empty: the cycle is weakly fair, a livelock under any fair
 * scheduler).
 */
export function nonProgressCycle(prefix: number, length: number, unfair: readonly string[]): Violation {
  const fairness =
    unfair.length === 0
      ? 'weakly fair'
      : `not weakly fair: ${unfair.join(', ')} enabled throughout, never scheduled`;
  return {
    kind: 'livelock',
    name: 'livelock',
    message: `non-progress cycle: after a prefix of ${steps(prefix)}, a cycle of ${steps(length)} without a progress step returns to the same state (${fairness})`,
    step: prefix + length,
    cycle: { prefix, length },
  };
}

const steps = (n: number): string => `${n} step${n === 1 ? '' : 's'}`;
