/**
 * `mmcheck exhaust`: exhaustive search of one small configuration, breadth-first (shortest
 * counterexample, the default) or depth-first with optional partial-order reduction, optionally
 * preemption-bounded. Exit 0 on 'pass' or 'incomplete' (budget hit, reason printed), 1 on a violation
 * (report printed, failure file written with seed 0 and run 0: no campaign run), 2 on bad flags.
 * `--livelock fair|any|off` selects non-progress cycle detection (weakly fair cycles only, every cycle,
 * none); a livelock prints its prefix and cycle lengths, and its failure file replays prefix + one turn
 * of the cycle.
 * `--audit-footprints` validates every step's writes against its footprint (exit 3 on an undeclared
 * write: a harness bug).
 */
import { HarnessError, UsageError } from '../engine/errors.js';
import { defaultSearchOptions, type SearchOptions, search } from '../engine/search/index.js';
import { recordFinding, warnIfUnwritten } from './finding.js';
import { intFlag, modelAndSettings, targetOptions } from './flags.js';
import { type FlagTable, parseFlags } from './flagTable.js';
import { exitCode, type Io } from './io.js';
import { printReport } from './report.js';
import { loadTarget, showConfig } from './target.js';

const maxInt = Number.MAX_SAFE_INTEGER;

export const exhaustFlags = {
  ...targetOptions,
  bfs: { type: 'boolean', default: false, doc: 'breadth-first: shortest counterexample (the default)' },
  dfs: { type: 'boolean', default: false, doc: 'depth-first' },
  por: { type: 'boolean', default: false, doc: 'partial-order reduction (with --dfs)' },
  preemptions: { type: 'string', arg: 'K', doc: 'at most K preemptions (with --dfs; default unbounded)' },
  'max-states': {
    type: 'string',
    default: String(defaultSearchOptions.maxStates),
    arg: 'N',
    doc: 'state budget (incomplete beyond it)',
  },
  'max-depth': {
    type: 'string',
    default: String(defaultSearchOptions.maxDepth),
    arg: 'N',
    doc: 'depth budget (incomplete beyond it)',
  },
  'audit-footprints': {
    type: 'boolean',
    default: false,
    doc: "validate every step's writes against its footprint (exit 3 on an undeclared write)",
  },
  livelock: {
    type: 'string',
    default: 'fair',
    arg: 'fair|any|off',
    doc: 'non-progress cycles: weakly fair ones only, every one, or none',
  },
  json: { type: 'boolean', default: false, doc: 'print one JSON object' },
} as const satisfies FlagTable;

export function exhaust(args: string[], io: Io): number {
  const { values } = parseFlags(args, exhaustFlags);
  if (values.bfs && values.dfs) throw new UsageError('exhaust: --bfs and --dfs are exclusive');
  if (values.por && !values.dfs) throw new UsageError('exhaust: --por requires --dfs');
  const livelock = values.livelock;
  if (livelock !== 'fair' && livelock !== 'any' && livelock !== 'off')
    throw new UsageError(`exhaust: --livelock must be fair, any or off (got '${livelock}')`);
  const opts: SearchOptions = {
    strategy: values.dfs ? 'dfs' : 'bfs',
    por: values.por,
    preemptionBound:
      values.preemptions === undefined ? null : intFlag('preemptions', values.preemptions, 0, maxInt),
    maxStates: intFlag('max-states', values['max-states'], 1, maxInt),
    maxDepth: intFlag('max-depth', values['max-depth'], 1, maxInt),
    livelock,
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
        note: r.note,
        cycle: r.violation?.cycle ?? null,
        cycleStart: r.cycleStart,
        replay: finding ? finding.report.replay : null,
        ...(finding ? { failureFile: finding.file } : {}),
      }),
    );
    if (finding) warnIfUnwritten(io, finding);
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
  if (r.note !== null) io.out(`  note:         ${r.note}`);
  const cycle = r.violation?.cycle;
  if (cycle !== undefined)
    io.out(
      `  livelock:     a prefix of ${cycle.prefix} steps, then a cycle of ${cycle.length} (steps #${cycle.prefix + 1}-#${cycle.prefix + cycle.length}, decisions from index ${r.cycleStart}) back to the state after the prefix`,
    );
  if (finding) {
    printReport(io, finding.report, finding.file);
    warnIfUnwritten(io, finding);
  }
  return finding ? exitCode.violation : exitCode.ok;
}
