/**
 * `mmcheck check [ROW|all] [--json] [--audit-footprints]`: runs manifest rows (models/manifestRun.ts:
 * random runs, then a BFS within the row's state budget) and compares each outcome with the row's
 * expectation. The table prints the expectation as the row states it (`pass`, `pass (bounded: N
 * states)`, `pass (random: N runs)`, `violation:X in N steps`, and `[only ...; all invariants: ...]`
 * for a row checking a subset) and what the evidence shows: a search cut by its budget reads
 * `incomplete (...)`, never `pass`. Default rows: those marked small; `all` = every row.
 * `--audit-footprints` validates every executed step's writes against its footprint (an undeclared
 * write is a harness bug: exit 3). Exit 0 only when every row meets its expectation, else 1. A row
 * whose model or configuration is rejected fails (not exit 2).
 */
import { UsageError } from '../engine/errors.js';
import { type ManifestRow, manifest } from '../models/manifest.js';
import { type RowOutcome, runRow } from '../models/manifestRun.js';
import { type FlagTable, parseFlags } from './flagTable.js';
import { exitCode, type Io } from './io.js';

/** The flags of `check` (parsed here and printed by `mmcheck check --help`). */
export const checkFlags = {
  json: { type: 'boolean', default: false, doc: 'print one JSON object' },
  'audit-footprints': {
    type: 'boolean',
    default: false,
    doc: "validate every step's writes against its footprint (exit 3 on an undeclared write)",
  },
} as const satisfies FlagTable;

export function check(args: string[], io: Io, table: readonly ManifestRow[] = manifest): number {
  const { values, positionals } = parseFlags(args, checkFlags, true);
  if (positionals.length > 1) throw new UsageError('check: expected at most one ROW (or all)');
  const rows = selectRows(table, positionals[0]);
  const audit = values['audit-footprints'];
  const t0 = io.now();
  const outcomes = rows.map((row) => runRow(row, { auditFootprints: audit, now: () => io.now() }));
  const ms = io.now() - t0;
  const ok = outcomes.every((o) => o.ok);
  if (values.json)
    io.out(JSON.stringify({ command: 'check', ok, auditFootprints: audit, rows: outcomes, ms }));
  else printTable(io, outcomes, audit, ms);
  return ok ? exitCode.ok : exitCode.violation;
}

function selectRows(table: readonly ManifestRow[], which: string | undefined): readonly ManifestRow[] {
  if (which === undefined) return table.filter((r) => r.small);
  if (which === 'all') return table;
  const row = table.find((r) => r.name === which);
  if (row === undefined) {
    throw new UsageError(
      `check: unknown row '${which}' (rows: ${table.map((r) => r.name).join(', ')}, or all)`,
    );
  }
  return [row];
}

function printTable(io: Io, outcomes: readonly RowOutcome[], audit: boolean, ms: number): void {
  const width = Math.max(4, ...outcomes.map((o) => o.name.length));
  const expWidth = Math.max(8, ...outcomes.map((o) => o.expected.length));
  const gotWidth = Math.max(8, ...outcomes.map((o) => o.got.length));
  for (const o of outcomes) {
    const status =
      o.subset === null ? (o.ok ? 'OK' : 'FAIL') : `${(o.ok ? 'OK' : 'FAIL').padEnd(4)}  ${o.subset}`;
    io.out(
      `${o.name.padEnd(width)}  expected ${o.expected.padEnd(expWidth)}  got ${o.got.padEnd(gotWidth)}  ${status}`,
    );
  }
  const met = outcomes.filter((o) => o.ok).length;
  const audited = audit ? ', footprints audited' : '';
  io.out(`${met}/${outcomes.length} rows meet their expectation (${ms.toFixed(0)} ms${audited})`);
}
