/**
 * `mmcheck check [ROW|all]`: runs manifest rows and compares each outcome with the row's expectation.
 * A row runs a campaign of `row.runs` runs (seed 1, the row's scheduler, default portfolio) and, when
 * that found nothing, a BFS search of at most `row.maxStates` states (default 200 000), checking the
 * row's invariants (default all). 'pass' = neither found a violation; 'violation:X' = either found a
 * violation named X. Default rows: those marked small; `all` = every row. Exit 0 only when every row
 * meets its expectation, else 1. A row whose model or configuration is rejected fails (not exit 2).
 */
import { runCampaign } from '../engine/campaign.js';
import { UsageError } from '../engine/errors.js';
import { Instance } from '../engine/instance.js';
import { makeScheduler } from '../engine/schedulers/index.js';
import { defaultSearchOptions, search } from '../engine/search/index.js';
import { type ManifestRow, manifest, restrictInvariants } from '../models/manifest.js';
import { type FlagTable, parseFlags } from './flagTable.js';
import { exitCode, type Io } from './io.js';
import { loadTarget } from './target.js';

export const checkMaxStates = 200_000;
const checkSeed = 1;

export interface RowOutcome {
  readonly name: string;
  readonly model: string;
  readonly expected: string;
  /** 'pass', 'violation:<name>' or 'error: <message>' (rejected row). */
  readonly got: string;
  readonly ok: boolean;
  readonly runs: number;
  readonly steps: number;
  /** States stored by the BFS search, or null when it did not run. */
  readonly states: number | null;
  /** The search's reason for 'incomplete' (the pass is then bounded), else null. */
  readonly incomplete: string | null;
  readonly ms: number;
}

/** The flags of `check` (parsed here and printed by `mmcheck check --help`). */
export const checkFlags = {
  json: { type: 'boolean', default: false, doc: 'print one JSON object' },
} as const satisfies FlagTable;

export function check(args: string[], io: Io): number {
  const { values, positionals } = parseFlags(args, checkFlags, true);
  if (positionals.length > 1) throw new UsageError('check: expected at most one ROW (or all)');
  const rows = selectRows(positionals[0]);
  const t0 = io.now();
  const outcomes = rows.map((row) => runRow(row, io));
  const ms = io.now() - t0;
  const ok = outcomes.every((o) => o.ok);
  if (values.json) {
    io.out(JSON.stringify({ command: 'check', ok, rows: outcomes, ms }));
  } else {
    const width = Math.max(4, ...outcomes.map((o) => o.name.length));
    const expWidth = Math.max(8, ...outcomes.map((o) => o.expected.length));
    const gotWidth = Math.max(8, ...outcomes.map((o) => o.got.length));
    for (const o of outcomes) {
      const bound = o.incomplete ? ` (bounded: ${o.incomplete})` : '';
      io.out(
        `${o.name.padEnd(width)}  expected ${o.expected.padEnd(expWidth)}  got ${o.got.padEnd(gotWidth)}  ${o.ok ? 'OK' : 'FAIL'}${bound}`,
      );
    }
    const met = outcomes.filter((o) => o.ok).length;
    io.out(`${met}/${outcomes.length} rows meet their expectation (${ms.toFixed(0)} ms)`);
  }
  return ok ? exitCode.ok : exitCode.violation;
}

function selectRows(which: string | undefined): readonly ManifestRow[] {
  if (which === undefined) return manifest.filter((r) => r.small);
  if (which === 'all') return manifest;
  const row = manifest.find((r) => r.name === which);
  if (row === undefined) {
    throw new UsageError(
      `check: unknown row '${which}' (rows: ${manifest.map((r) => r.name).join(', ')}, or all)`,
    );
  }
  return [row];
}

function runRow(row: ManifestRow, io: Io): RowOutcome {
  const t0 = io.now();
  const base = { name: row.name, model: row.model, expected: row.expected };
  let target: ReturnType<typeof loadTarget>;
  try {
    target = loadTarget(row.model, row.config);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    const got = `error: ${e.message}`;
    return { ...base, got, ok: false, runs: 0, steps: 0, states: null, incomplete: null, ms: io.now() - t0 };
  }
  const inst = row.invariants
    ? new Instance(restrictInvariants(target.model, row.invariants), target.config)
    : target.inst;
  const scheduler = makeScheduler(row.scheduler ?? 'portfolio', {
    seed: checkSeed,
    pctDepth: 3,
    stepsEstimate: 50,
  });
  const campaign = runCampaign(inst, scheduler, row.runs);
  let violation = campaign.violation?.name ?? null;
  let states: number | null = null;
  let incomplete: string | null = null;
  const maxStates = row.maxStates ?? checkMaxStates;
  if (violation === null && maxStates > 0) {
    const r = search(inst, { ...defaultSearchOptions, strategy: 'bfs', maxStates });
    violation = r.violation?.name ?? null;
    states = r.states;
    incomplete = r.verdict === 'incomplete' ? (r.incompleteReason ?? 'budget hit') : null;
  }
  const got = violation === null ? 'pass' : `violation:${violation}`;
  return {
    ...base,
    got,
    ok: got === row.expected,
    runs: campaign.runs,
    steps: campaign.steps,
    states,
    incomplete,
    ms: io.now() - t0,
  };
}
