/**
 * `mmcheck explore`: a random-testing campaign (runCampaign) of one model under one scheduler.
 * Exit 0 when every run passed, 1 on a violation (report printed, failure file written), 2 on bad
 * flags. With --json, stdout holds exactly one JSON object. Runs are numbered from 1 everywhere (the
 * report's `run`, the summary line, JSON `failingRun`, the failure file's name).
 * Both end with the coverage of the runs (engine/coverage.ts): text, a summary of what ran and what
 * never did; JSON, the full table.
 */
import { runCampaign } from '../engine/campaign.js';
import { coverageSummary } from '../engine/coverage.js';
import { makeScheduler, schedulerNames } from '../engine/schedulers/index.js';
import { recordFinding, warnIfUnwritten } from './finding.js';
import { intFlag, modelAndSettings, seedRange, targetOptions } from './flags.js';
import { type FlagTable, parseFlags } from './flagTable.js';
import { exitCode, type Io } from './io.js';
import { printReport } from './report.js';
import { loadTarget, showConfig } from './target.js';

/** Initial PCT estimate of the steps of a run (PCT adapts it to the longest run seen). */
const pctStepsEstimate = 50;
const maxInt = Number.MAX_SAFE_INTEGER;

export const exploreFlags = {
  ...targetOptions,
  scheduler: { type: 'string', default: 'portfolio', arg: 'NAME', doc: schedulerNames.join('|') },
  runs: { type: 'string', default: '1000', arg: 'N', doc: 'number of runs (stops at the first violation)' },
  seed: { type: 'string', default: '1', arg: 'S', doc: 'seed of the scheduler (32-bit, may be negative)' },
  'max-steps': { type: 'string', default: '100000', arg: 'N', doc: 'step budget of a run (livelock)' },
  'pct-depth': { type: 'string', default: '3', arg: 'D', doc: 'bug depth of the pct scheduler' },
  json: { type: 'boolean', default: false, doc: 'print one JSON object' },
} as const satisfies FlagTable;

export function explore(args: string[], io: Io): number {
  const { values } = parseFlags(args, exploreFlags);
  const runs = intFlag('runs', values.runs, 1, maxInt);
  const seed = intFlag('seed', values.seed, seedRange.min, seedRange.max);
  const maxSteps = intFlag('max-steps', values['max-steps'], 1, maxInt);
  const pctDepth = intFlag('pct-depth', values['pct-depth'], 1, 1000);
  const { modelName, settings } = modelAndSettings('explore', values, io.cwd);
  const { model, config, inst } = loadTarget(modelName, settings);
  const scheduler = makeScheduler(values.scheduler, { seed, pctDepth, stepsEstimate: pctStepsEstimate });

  const t0 = io.now();
  const result = runCampaign(inst, scheduler, runs, { maxSteps, checkInvariants: true, coverage: true });
  const ms = io.now() - t0;
  const schedulerName = scheduler.name;
  const finding =
    result.violation !== null && result.decisions !== null && result.failingRun !== null
      ? recordFinding(io.cwd, inst, {
          seed,
          run: result.failingRun + 1,
          scheduler: schedulerName,
          decisions: result.decisions,
        })
      : null;

  if (values.json) {
    io.out(
      JSON.stringify({
        command: 'explore',
        verdict: finding ? 'violation' : 'pass',
        violation: finding ? finding.report.violation.name : null,
        message: finding ? finding.report.violation.message : null,
        model: model.name,
        config,
        scheduler: finding ? schedulerName : values.scheduler,
        seed,
        runs: result.runs,
        failingRun: finding ? finding.report.run : null,
        steps: result.steps,
        ms,
        replay: finding ? finding.report.replay : null,
        ...(finding ? { failureFile: finding.file } : {}),
        coverage: result.coverage,
      }),
    );
  } else if (finding) {
    printReport(io, finding.report, finding.file);
    io.out(`found in run ${finding.report.run} of ${runs} (${result.steps} steps, ${ms.toFixed(0)} ms)`);
  } else {
    io.out(
      `${model.name} ${showConfig(config)}: no violation in ${result.runs} runs ` +
        `(${values.scheduler}, seed ${seed}, ${result.steps} steps, ${ms.toFixed(0)} ms)`,
    );
  }
  if (finding) warnIfUnwritten(io, finding);
  if (!values.json && result.coverage !== null)
    for (const line of coverageSummary(result.coverage)) io.out(line);
  return finding ? exitCode.violation : exitCode.ok;
}
