/**
 * `mmcheck exhaust`: exhaustive search of one small configuration, breadth-first (shortest
 * counterexample, the default) or depth-first with optional partial-order reduction, optionally
 * preemption-bounded. Exit 0 on 'pass' or 'incomplete' (budget hit, reason printed), 1 on a violation
 * (report printed, failure file written with seed 0 and run 0), 2 on bad flags. `--audit-footprints`
 * validates every step's writes against its footprint (exit 3 on an undeclared write: a harness bug).
 */
import { parseArgs } from 'node:util';
import { HarnessError, UsageError } from '../engine/errors.js';
import { defaultSearchOptions, type SearchOptions, search } from '../engine/search/index.js';
import { recordFinding } from './finding.js';
import { intFlag, modelAndSettings, targetOptions } from './flags.js';
import { exitCode, type Io } from './io.js';
import { printReport } from './report.js';
import { loadTarget, showConfig } from './target.js';

const maxInt = Number.MAX_SAFE_INTEGER;

export function exhaust(args: string[], io: Io): number {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      ...targetOptions,
      bfs: { type: 'boolean', default: false },
      dfs: { type: 'boolean', default: false },
      por: { type: 'boolean', default: false },
      preemptions: { type: 'string' },
      'max-states': { type: 'string' },
      'max-depth': { type: 'string' },
      'audit-footprints': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  if (values.bfs && values.dfs) throw new UsageError('exhaust: --bfs and --dfs are exclusive');
  if (values.por && !values.dfs) throw new UsageError('exhaust: --por requires --dfs');
  const opts: SearchOptions = {
    strategy: values.dfs ? 'dfs' : 'bfs',
    por: values.por,
    preemptionBound:
      values.preemptions === undefined ? null : intFlag('preemptions', values.preemptions, 0, 0, maxInt),
    maxStates: intFlag('max-states', values['max-states'], defaultSearchOptions.maxStates, 1, maxInt),
    maxDepth: intFlag('max-depth', values['max-depth'], defaultSearchOptions.maxDepth, 1, maxInt),
    auditFootprints: values['audit-footprints'],
    now: () => io.now(),
  };
  const { modelName, settings } = modelAndSettings('exhaust', values, io.cwd);
  const { model, config, inst } = loadTarget(modelName, settings);
  const strategy = `${opts.strategy}${opts.por ? '+por' : ''}${opts.preemptionBound === null ? '' : `+pb${opts.preemptionBound}`}`;

  const t0 = io.now();
  const r = search(inst, opts);
  const ms = io.now() - t0;
  const statesPerSecond = ms > 0 ? Math.round((r.states * 1000) / ms) : null;
  if (
    (r.violation === null) !== (r.verdict !== 'violation') ||
    (r.violation !== null && r.decisions === null)
  ) {
    throw new HarnessError(`search: verdict '${r.verdict}' inconsistent with its violation and decisions`);
  }
  const finding =
    r.violation !== null && r.decisions !== null
      ? recordFinding(io.cwd, inst, { seed: 0, run: 0, scheduler: strategy, decisions: r.decisions })
      : null;

  if (values.json) {
    io.out(
      JSON.stringify({
        command: 'exhaust',
        verdict: r.verdict,
        violation: r.violation ? r.violation.name : null,
        message: r.violation ? r.violation.message : null,
        model: model.name,
        config,
        strategy,
        states: r.states,
        steps: r.transitions,
        transitions: r.transitions,
        maxDepth: r.maxDepth,
        ms,
        statesPerSecond,
        bytesPerState: r.bytesPerState,
        collisionProbability: r.collisionProbability,
        incompleteReason: r.incompleteReason,
        replay: finding ? finding.report.replay : null,
        ...(finding ? { failureFile: finding.file } : {}),
      }),
    );
    return finding ? exitCode.violation : exitCode.ok;
  }
  io.out(`exhaust ${model.name} ${showConfig(config)} (${strategy})`);
  io.out(`  states:       ${r.states}`);
  io.out(`  transitions:  ${r.transitions}`);
  io.out(`  max depth:    ${r.maxDepth}`);
  io.out(`  time:         ${ms.toFixed(0)} ms`);
  io.out(`  states/s:     ${statesPerSecond ?? 'n/a'}`);
  io.out(`  bytes/state:  ${r.bytesPerState.toFixed(1)}`);
  io.out(`  collision p:  ${r.collisionProbability.toExponential(2)}`);
  io.out(`  verdict:      ${r.verdict}${r.incompleteReason ? ` (${r.incompleteReason})` : ''}`);
  if (finding) printReport(io, finding.report, finding.file);
  return finding ? exitCode.violation : exitCode.ok;
}
