/**
 * End to end: the real entry point in a child process (`npx tsx src/cli/bin.ts ...`, run from a
 * temporary directory so the failure file lands there) exits 1 and prints one JSON object.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { tempDir } from './helpers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

it('npx tsx src/cli/bin.ts explore --model lost-update --json', () => {
  const cwd = tempDir();
  const bin = join(root, 'src', 'cli', 'bin.ts');
  const child = spawnSync(
    'npx',
    ['--prefix', root, '--no-install', 'tsx', bin, 'explore', '--model', 'lost-update', '--json'],
    {
      cwd,
      encoding: 'utf8',
      timeout: 600_000,
    },
  );
  expect(child.status).toBe(1);
  const lines = child.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  const j = JSON.parse(lines[0] as string);
  expect(j).toMatchObject({ verdict: 'violation', violation: 'noLostUpdate' });
  expect(j.failureFile.startsWith(cwd)).toBe(true);
  expect(existsSync(j.failureFile)).toBe(true);
});
