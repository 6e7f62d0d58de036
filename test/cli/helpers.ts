/**
 * Test helpers for the CLI: a capturing Io bound to a fresh temporary working directory, a runner
 * that calls `main` in-process, and the assertion shared by every usage-error test (exit 2, exactly
 * one stderr line `mmcheck: ...`, no stack). Temporary directories are removed after each test file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { type Io, main } from '../../src/cli/main.js';

export interface Ran {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
  readonly cwd: string;
}

const created: string[] = [];
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after the test file. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-cli-'));
  created.push(dir);
  return dir;
}

/** Runs `mmcheck <argv>` in-process with a fake clock ticking 1 ms per reading. */
export async function run(argv: string[], cwd: string = tempDir()): Promise<Ran> {
  const out: string[] = [];
  const err: string[] = [];
  let clock = 0;
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), cwd, now: () => clock++ };
  const code = await main(argv, io);
  return { code, out, err, cwd };
}

/** The single JSON object printed by a `--json` command (and nothing else on stdout). */
export function jsonOf(r: Ran): Record<string, unknown> {
  expect(r.out).toHaveLength(1);
  return JSON.parse(r.out[0] as string) as Record<string, unknown>;
}

export function expectUsageError(r: Ran, pattern?: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.err).toHaveLength(1);
  expect(r.err[0]).toMatch(/^mmcheck: /);
  expect(r.err[0]).not.toMatch(/\n|^\s+at /);
  expect(r.err[0]).not.toMatch(/internal error/);
  if (pattern) expect(r.err[0]).toMatch(pattern);
}
