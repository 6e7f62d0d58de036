/**
 * A model finding becomes a failure report (replayed with tracing on, see campaign.ts) and a JSON
 * file `<cwd>/mmcheck-failures/<model>-<violation>-<seed>-<run>-<id>.json` that `mmcheck replay`
 * reads back; `<id>` is a digest of the replay string, so different findings (another scenario, other
 * decisions) get different names. The file is written atomically (a temporary file renamed into place)
 * and never replaces a file of other content: that one is kept and the finding goes to `...-<id>-2`.
 * When the file cannot be written (read-only directory, a file named `mmcheck-failures`...), the
 * finding is not lost: `file` is null, `writeError` says why, and the command still prints the report
 * and the replay string, with a warning (exit 1, not 3).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFailureReport, type ReportInput } from '../engine/campaign.js';
import type { Instance } from '../engine/instance.js';
import type { FailureReport } from '../engine/recipe.js';
import type { Io } from './io.js';

export const failuresDir = 'mmcheck-failures';

export interface Finding {
  readonly report: FailureReport;
  /** Absolute path of the failure file, or null when it could not be written. */
  readonly file: string | null;
  /** Why the failure file could not be written, or null. */
  readonly writeError: string | null;
}

export function recordFinding(cwd: string, inst: Instance, input: ReportInput): Finding {
  const report = buildFailureReport(inst, input);
  try {
    return { report, file: writeFailureFile(join(cwd, failuresDir), report), writeError: null };
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (!(e instanceof Error) || typeof code !== 'string') throw e;
    return { report, file: null, writeError: e.message.split('\n')[0] as string };
  }
}

/** The stderr warning of a finding whose file could not be written (nothing when it was). */
export function warnIfUnwritten(io: Io, finding: Finding): void {
  if (finding.writeError === null) return;
  io.err(
    `mmcheck: warning: failure file not written (${finding.writeError}); the replay string above reproduces the finding`,
  );
}

/** Writes `report` into `dir` (created when missing); returns the file's path. */
function writeFailureFile(dir: string, report: FailureReport): string {
  const safe = (s: string): string => s.replace(/[^A-Za-z0-9_.-]/g, '_');
  const id = createHash('sha256').update(report.replay).digest('hex').slice(0, 8);
  const stem = `${safe(report.model)}-${safe(report.violation.name)}-${report.seed}-${report.run}-${id}`;
  const text = `${JSON.stringify(report, null, 2)}\n`;
  mkdirSync(dir, { recursive: true });
  const tmp = temporaryFile(dir, stem, text);
  try {
    for (let n = 1; n <= 1000; n++) {
      const file = join(dir, `${stem}${n === 1 ? '' : `-${n}`}.json`);
      if (!existsSync(file)) {
        renameSync(tmp, file);
        return file;
      }
      if (sameText(file, text)) return file; // the same finding, already recorded
    }
    throw Object.assign(new Error(`1000 files named ${stem}-*.json already exist`), { code: 'EEXIST' });
  } finally {
    rmSync(tmp, { force: true });
  }
}

function sameText(file: string, text: string): boolean {
  try {
    return readFileSync(file, 'utf8') === text;
  } catch {
    return false; // a directory or an unreadable file of that name: not this finding
  }
}

/** A new file `.<stem>.<n>.tmp` in `dir` holding `text` (exclusive create: no other writer's file). */
function temporaryFile(dir: string, stem: string, text: string): string {
  for (let n = 0; ; n++) {
    const tmp = join(dir, `.${stem}.${n}.tmp`);
    try {
      writeFileSync(tmp, text, { flag: 'wx' });
      return tmp;
    } catch (e) {
      if ((e as { code?: unknown }).code === 'EEXIST' && n < 100) continue;
      if ((e as { code?: unknown }).code !== 'EEXIST') rmSync(tmp, { force: true }); // partly written
      throw e;
    }
  }
}
