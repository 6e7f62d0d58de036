/**
 * `mmcheck replay FILE|STRING`: re-executes a recorded run (a failure file written by explore or
 * exhaust, or a one-line `mm1:` replay string) with the replay scheduler and tracing on, then prints
 * the trace and the violation. A failure file's recorded trace and violation must match the replayed
 * ones exactly (compared as JSON); any difference is a ReplayDivergence (exit 2), as is a decision
 * that does not fit the execution, and decisions that end while the run goes on ("replay ended at step
 * k before the run did"; only a recipe marked `.budget` ends in a livelock). Exit 1 when the replay
 * reproduces a violation, 0 when it has none.
 */
import { replayDecisions } from '../engine/campaign.js';
import { ReplayDivergence, UsageError } from '../engine/errors.js';
import { type FailureReport, parseRecipe, type Recipe } from '../engine/recipe.js';
import type { TraceEntry } from '../engine/trace.js';
import { formatViolation } from '../engine/trace.js';
import { type FlagTable, parseFlags } from './flagTable.js';
import { readInputFile } from './inputFile.js';
import { exitCode, type Io } from './io.js';
import { printTrace } from './report.js';
import { loadTarget, showConfig } from './target.js';

export const replayFlags = {
  json: { type: 'boolean', default: false, doc: 'print one JSON object (with the whole trace)' },
} as const satisfies FlagTable;

export function replay(args: string[], io: Io): number {
  const { values, positionals } = parseFlags(args, replayFlags, true);
  if (positionals.length !== 1) throw new UsageError('replay: expected exactly one FILE or replay STRING');
  const { recipe, report } = parseRecipe(readSource(positionals[0] as string, io.cwd));
  if (report !== null) checkConsistent(report, recipe);
  const { config, inst } = loadTarget(recipe.model, recipe.config);
  const replayed = replayDecisions(inst, recipe.decisions, recipe.endsAtBudget === true);
  const trace = replayed.trace ?? [];
  if (report !== null) {
    const k = firstDifference(report.trace, trace);
    if (k !== null) throw new ReplayDivergence(`replay diverged: trace differs at step ${k}`);
    if (
      replayed.violation !== null &&
      JSON.stringify(replayed.violation) !== JSON.stringify(report.violation)
    ) {
      throw new ReplayDivergence(
        `replay diverged: recorded ${formatViolation(report.violation)}; replayed ${formatViolation(replayed.violation)}`,
      );
    }
  }
  const verdict =
    replayed.violation === null
      ? report === null
        ? 'no violation'
        : `no violation: the recorded '${report.violation.name}' no longer occurs (same trace)`
      : report === null
        ? `reproduced: ${replayed.violation.name}`
        : 'reproduced: same violation, same trace';

  if (values.json) {
    io.out(
      JSON.stringify({
        command: 'replay',
        verdict: replayed.violation ? 'violation' : 'pass',
        violation: replayed.violation ? replayed.violation.name : null,
        message: replayed.violation ? replayed.violation.message : null,
        reproduced: report === null ? null : replayed.violation !== null,
        model: recipe.model,
        config,
        seed: recipe.seed,
        steps: replayed.steps,
        replay: report?.replay ?? positionals[0]?.trim() ?? null,
        trace,
      }),
    );
  } else {
    io.out(
      `replay ${recipe.model} ${showConfig(config)} seed ${recipe.seed}: ${recipe.decisions.length} decisions`,
    );
    printTrace(io, trace, null);
    io.out(
      replayed.violation
        ? `VIOLATION ${formatViolation(replayed.violation)}`
        : `no violation after ${replayed.steps} steps`,
    );
    io.out(verdict);
  }
  return replayed.violation ? exitCode.violation : exitCode.ok;
}

/** A replay string is given inline; anything else names a failure file (relative to cwd). */
function readSource(arg: string, cwd: string): string {
  if (/^\s*mm\d+:/.test(arg)) return arg;
  return readInputFile('replay: file', arg, cwd, " (nor is it a replay string 'mm1:...')");
}

/** The file's own fields must agree with its replay string (a hand-edited file is caught here). */
function checkConsistent(report: FailureReport, recipe: Recipe): void {
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  const fields: [string, unknown, unknown][] = [
    ['model', report.model, recipe.model],
    ['seed', report.seed, recipe.seed],
    ['config', sorted(report.config), sorted(recipe.config)],
    ['decisions', report.decisions, recipe.decisions],
    ['endsAtBudget', report.endsAtBudget ?? false, recipe.endsAtBudget ?? false],
  ];
  for (const [name, a, b] of fields) {
    if (!same(a, b))
      throw new UsageError(`malformed failure file: '${name}' does not match the 'replay' string`);
  }
}

function sorted(o: unknown): unknown {
  return typeof o === 'object' && o !== null
    ? Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)))
    : o;
}

/** 1-based step of the first entry that differs (JSON deep-equality), or null when equal. */
function firstDifference(recorded: readonly TraceEntry[], replayed: readonly TraceEntry[]): number | null {
  const n = Math.max(recorded.length, replayed.length);
  for (let i = 0; i < n; i++) {
    if (JSON.stringify(recorded[i]) !== JSON.stringify(replayed[i])) return i + 1;
  }
  return null;
}
