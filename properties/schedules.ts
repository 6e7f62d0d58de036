/**
 * fast-check arbitraries for schedules: a choice tape (array of small integers) drives the tape
 * scheduler, so fast-check generates interleavings and shrinks the schedule itself: shorter tapes and
 * smaller values mean fewer context switches (see src/engine/schedulers/tape.ts).
 */
import fc from 'fast-check';
import type { Execution } from '../src/engine/executor.js';
import { execute } from '../src/engine/executor.js';
import type { Instance } from '../src/engine/instance.js';
import { tapeScheduler } from '../src/engine/schedulers/tape.js';
import { formatViolation } from '../src/engine/trace.js';

export interface TapeOptions {
  /** Longest tape generated. */
  readonly maxLength?: number;
  /** Largest value on the tape (values are taken modulo the number of options). */
  readonly maxValue?: number;
}

export function choiceTape(o: TapeOptions = {}): fc.Arbitrary<number[]> {
  return fc.array(fc.nat({ max: o.maxValue ?? 7 }), { maxLength: o.maxLength ?? 64 });
}

/** Runs one execution of `inst` under the tape. */
export function runTape<S>(inst: Instance<S>, tape: readonly number[], maxSteps = 10_000): Execution<S> {
  return execute(inst, tapeScheduler(tape), 0, { maxSteps, checkInvariants: true, trace: false });
}

/**
 * The property "no schedule drawn from tapes violates anything": fails with the violation's text, so
 * a fast-check counterexample is a (shrunk) tape.
 */
export function noViolationUnderTapes<S>(
  inst: Instance<S>,
  o: TapeOptions = {},
): fc.IPropertyWithHooks<[number[]]> {
  return fc.property(choiceTape(o), (tape) => {
    const e = runTape(inst, tape);
    if (e.violation !== null) throw new Error(formatViolation(e.violation));
  });
}
