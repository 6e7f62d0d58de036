/**
 * Human-readable failure reports (shared/design.md "Failures are replay recipes"): the violation,
 * model, configuration, seed, run, scheduler, the replay string, the exact command to replay it, the
 * failure file, and the last steps of the trace with the state changes each step made.
 */
import type { FailureReport } from '../engine/recipe.js';
import { formatTraceEntry, formatViolation, type TraceEntry } from '../engine/trace.js';
import type { Io } from './io.js';
import { showConfig } from './target.js';

/** Steps of the trace shown in a report (the whole trace is in the failure file). */
export const reportTail = 20;

export function printReport(io: Io, report: FailureReport, file: string | null): void {
  io.out(`VIOLATION ${formatViolation(report.violation)}`);
  io.out(`  model:     ${report.model}`);
  io.out(`  config:    ${showConfig(report.config)}`);
  io.out(`  seed:      ${report.seed}`);
  io.out(`  run:       ${report.run === 0 ? 'none (exhaustive search)' : report.run}`);
  io.out(`  scheduler: ${report.scheduler}`);
  io.out(`  replay:    ${report.replay}`);
  io.out(`  command:   ${report.command}`);
  if (file !== null) io.out(`  file:      ${file}`);
  printTrace(io, report.trace, reportTail);
}

/** The last `tail` entries of a trace (all of them when `tail` is null), one line each. */
export function printTrace(io: Io, trace: readonly TraceEntry[], tail: number | null): void {
  const shown = tail === null ? trace : trace.slice(-tail);
  const heading =
    shown.length === trace.length
      ? `trace (${trace.length} steps):`
      : `last ${shown.length} of ${trace.length} steps:`;
  io.out(heading);
  for (const e of shown) io.out(`  ${formatTraceEntry(e)}`);
}
