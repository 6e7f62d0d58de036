/**
 * Error classes that separate the three kinds of trouble: bad input from the user (exit 2), a finding
 * of the model under check (a violation, exit 1), and a bug of the harness itself (exit 3).
 */

/** Bad flags, malformed files, impossible configurations: one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A replay whose recorded decisions do not fit the execution: the recording or the model changed. */
export class ReplayDivergence extends UsageError {}

/** Thrown by `ctx.fail`: the modelled kernel hit an assertion or a panic. A model finding. */
export class ModelFailure extends Error {
  override readonly name = 'ModelFailure';
}

/** The harness broke its own contract (unknown label, footprint missing a write...). */
export class HarnessError extends Error {
  override readonly name = 'HarnessError';
}
