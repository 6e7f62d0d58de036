/**
 * `mmcheck list`: the registered models (name, summary, parameters with type, range, default and doc)
 * and the manifest rows (name, model, configuration, expected outcome). Always exit 0.
 */
import type { AnyModel, ConfigParam } from '../engine/types.js';
import { models } from '../models/index.js';
import { manifest } from '../models/manifest.js';
import { expectationLabel, type ManifestRow, subsetLabel } from '../models/manifestRow.js';
import { type FlagTable, parseFlags } from './flagTable.js';
import { exitCode, type Io } from './io.js';
import { showConfig } from './target.js';

export const listFlags = {
  json: { type: 'boolean', default: false, doc: 'print one JSON object' },
} as const satisfies FlagTable;

export function list(args: string[], io: Io): number {
  const { values } = parseFlags(args, listFlags);
  if (values.json) {
    const modelRows = models.map((m) => ({
      name: m.name,
      summary: m.summary,
      params: Object.entries(m.params as Record<string, ConfigParam>).map(([key, p]) => ({
        key,
        ...p,
        default: m.defaultConfig[key],
      })),
    }));
    io.out(JSON.stringify({ command: 'list', models: modelRows, manifest }));
    return exitCode.ok;
  }
  io.out('models:');
  for (const m of models) printModel(io, m);
  io.out('');
  io.out('manifest:');
  const rows = manifest.map((r) => [
    r.name,
    r.model,
    showConfig(r.config),
    expectationLabel(r),
    `${r.small ? 'small, ' : ''}${r.runs} runs${subsetSuffix(r)}`,
  ]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(0, ...rows.map((cells) => (cells[i] as string).length)));
  for (const cells of rows) {
    io.out(`  ${cells.map((c, i) => (i < widths.length ? c.padEnd(widths[i] as number) : c)).join('  ')}`);
  }
  return exitCode.ok;
}

/** A subset row's label (`[only refinement; all invariants: ...]`), after its budget. */
function subsetSuffix(row: ManifestRow): string {
  const label = subsetLabel(row);
  return label === null ? '' : `  ${label}`;
}

function printModel(io: Io, m: AnyModel): void {
  io.out(`  ${m.name}: ${m.summary}`);
  const params = Object.entries(m.params as Record<string, ConfigParam>);
  const width = Math.max(0, ...params.map(([k]) => k.length));
  for (const [key, p] of params) {
    const raw = String(m.defaultConfig[key]);
    const def = raw.length > 40 ? `${raw.slice(0, 37)}...` : raw;
    io.out(`    ${key.padEnd(width)}  ${describeType(p)}, default ${def}  ${p.doc}`);
  }
}

function describeType(p: ConfigParam): string {
  switch (p.type) {
    case 'int':
      return `int ${p.min}..${p.max}`;
    case 'bool':
      return 'bool';
    case 'enum':
      return `enum ${p.values.join('|')}`;
    case 'text':
      return 'text';
  }
}
