/**
 * Random-testing campaigns: up to `runs` executions under one scheduler, stopping at the first
 * violation; and the replay of a recipe into a full trace (how every report gets its trace).
 * With `coverage: true`, the result also tables which procedures and steps the runs executed (the
 * failing run included, up to its violation), counted without traces (coverage.ts).
 */
import { Coverage, type CoverageTable, coverageTable } from './coverage.js';
import { HarnessError, ReplayDivergence } from './errors.js';
import { defaultExecOptions, type ExecOptions, type Execution, execute } from './executor.js';
import type { Instance } from './instance.js';
import { encodeReplay, type FailureReport, failureFormat, type Recipe } from './recipe.js';
import type { Scheduler } from './scheduler.js';
import { replayScheduler } from './schedulers/replay.js';
import type { Violation } from './violation.js';

export interface CampaignResult {
  /** Executions started (the failing one included). */
  readonly runs: number;
  /** Steps over all executions. */
  readonly steps: number;
  readonly violation: Violation | null;
  /** Index of the failing execution and its decisions, when one failed. */
  readonly failingRun: number | null;
  readonly decisions: readonly number[] | null;
  /** Steps and procedures executed, when the campaign was asked to count them. */
  readonly coverage: CoverageTable | null;
}

export type CampaignOptions = Omit<ExecOptions, 'trace' | 'coverage'> & { readonly coverage?: boolean };

export function runCampaign<S>(
  inst: Instance<S>,
  scheduler: Scheduler,
  runs: number,
  exec: CampaignOptions = { maxSteps: defaultExecOptions.maxSteps, checkInvariants: true },
): CampaignResult {
  const { coverage: counted, ...rest } = exec;
  const cov = counted === true ? new Coverage() : undefined;
  const table = () => (cov === undefined ? null : coverageTable(cov, inst.procedures));
  const opts: ExecOptions = { ...rest, trace: false, ...(cov === undefined ? {} : { coverage: cov }) };
  let steps = 0;
  for (let run = 0; run < runs; run++) {
    const e = execute(inst, scheduler, run, opts);
    steps += e.steps;
    if (e.violation) {
      const failed = { violation: e.violation, failingRun: run, decisions: e.decisions };
      return { runs: run + 1, steps, ...failed, coverage: table() };
    }
  }
  return { runs, steps, violation: null, failingRun: null, decisions: null, coverage: table() };
}

/**
 * Re-executes recorded decisions with tracing on. Throws ReplayDivergence if they do not fit. The step
 * budget is the number of recorded thread picks, so a recorded livelock stops at the same step, and a
 * run that ends by closing a non-progress cycle (a search's livelock) is reported as that cycle; when
 * the recipe does not say it ends at its budget (`endsAtBudget` false), a run still going when the
 * decisions end is a ReplayDivergence "replay ended at step k before the run did", not a livelock.
 */
export function replayDecisions<S>(
  inst: Instance<S>,
  decisions: readonly number[],
  endsAtBudget = true,
): Execution<S> {
  const maxSteps = decisions.filter((d) => d % 2 === 0).length;
  const e = execute(inst, replayScheduler(decisions), 0, {
    maxSteps,
    checkInvariants: true,
    trace: true,
    cycles: true,
  });
  if (!endsAtBudget && e.violation?.kind === 'livelock')
    throw new ReplayDivergence(`replay ended at step ${e.steps} before the run did`);
  return e;
}

export interface ReportInput {
  readonly seed: number;
  readonly run: number;
  readonly scheduler: string;
  readonly decisions: readonly number[];
}

/** Builds the failure report of a failing run by replaying it with tracing on. */
export function buildFailureReport<S>(inst: Instance<S>, input: ReportInput): FailureReport {
  const recipe: Recipe = {
    model: inst.model.name,
    seed: input.seed,
    config: inst.config,
    decisions: input.decisions,
  };
  const replayed = replayDecisions(inst, input.decisions);
  if (replayed.violation === null)
    throw new HarnessError('buildFailureReport: the recorded run does not fail when replayed');
  const full: Recipe = replayed.violation.kind === 'livelock' ? { ...recipe, endsAtBudget: true } : recipe;
  const replay = encodeReplay(full);
  return {
    format: failureFormat,
    ...full,
    violation: replayed.violation,
    scheduler: input.scheduler,
    run: input.run,
    replay,
    command: `npx mmcheck replay '${replay}'`,
    trace: replayed.trace ?? [],
  };
}
