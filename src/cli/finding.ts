/**
 * A model finding becomes a failure report (replayed with tracing on, see campaign.ts) and a JSON
 * file `<cwd>/mmcheck-failures/<model>-<violation>-<seed>-<run>.json` that `mmcheck replay` reads
 * back. The directory is created when missing; an existing file of the same name is overwritten.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFailureReport, type ReportInput } from '../engine/campaign.js';
import type { Instance } from '../engine/instance.js';
import type { FailureReport } from '../engine/recipe.js';

export const failuresDir = 'mmcheck-failures';

export interface Finding {
  readonly report: FailureReport;
  /** Absolute path of the written failure file. */
  readonly file: string;
}

export function recordFinding(cwd: string, inst: Instance, input: ReportInput): Finding {
  const report = buildFailureReport(inst, input);
  const safe = (s: string): string => s.replace(/[^A-Za-z0-9_.-]/g, '_');
  const dir = join(cwd, failuresDir);
  const file = join(
    dir,
    `${safe(report.model)}-${safe(report.violation.name)}-${report.seed}-${report.run}.json`,
  );
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return { report, file };
}
