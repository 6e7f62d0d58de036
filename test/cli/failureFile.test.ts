/**
 * Failure files never lose or overwrite a finding: when the file cannot be written the report and the
 * replay string are still printed, with one warning line (exit 1, never 3); files are written through a
 * temporary file renamed into place; a file of another content under the same name is kept.
 */
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonOf, run, tempDir } from './helpers.js';

const lostUpdate = ['explore', '--model', 'lost-update'];

/** Checks an unwritten finding: report and replay string on stdout, one warning; returns the string. */
function expectUnwritten(r: Awaited<ReturnType<typeof run>>): string {
  expect(r.code).toBe(1);
  expect(r.err).toHaveLength(1);
  expect(r.err[0]).toMatch(
    /^mmcheck: warning: failure file not written \(E[A-Z]+: .*\); the replay string above reproduces the finding$/,
  );
  expect(r.out[0]).toBe("VIOLATION invariant 'noLostUpdate' violated after step 4: x = 1, expected 2");
  expect(r.out.some((l) => l.startsWith('  file:'))).toBe(false);
  const replay = r.out.find((l) => l.startsWith('  replay:'));
  expect(replay).toMatch(/^ {2}replay: {4}mm1:lost-update:1:/);
  return (replay as string).slice('  replay:'.length).trim();
}

describe('a failure file that cannot be written', () => {
  it('a file named mmcheck-failures: report, replay string and a warning (exit 1)', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'mmcheck-failures'), 'not a directory');
    const replay = expectUnwritten(await run(lostUpdate, cwd));
    const back = await run(['replay', replay]);
    expect(back.code).toBe(1);
    expect(back.out.at(-1)).toBe('reproduced: noLostUpdate');
    expect(readFileSync(join(cwd, 'mmcheck-failures'), 'utf8')).toBe('not a directory');
  });

  it('mmcheck-failures is a symbolic link loop', async () => {
    const cwd = tempDir();
    symlinkSync('mmcheck-failures', join(cwd, 'mmcheck-failures'));
    expectUnwritten(await run(lostUpdate, cwd));
  });

  it('a working directory below a file (ENOTDIR, even for root)', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'plain'), '');
    expectUnwritten(await run(lostUpdate, join(cwd, 'plain')));
  });

  it.skipIf(process.getuid?.() === 0)('a read-only directory (EACCES)', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'mmcheck-failures'));
    chmodSync(join(cwd, 'mmcheck-failures'), 0o555);
    try {
      expectUnwritten(await run(lostUpdate, cwd));
    } finally {
      chmodSync(join(cwd, 'mmcheck-failures'), 0o755);
    }
  });

  it('--json: failureFile null, the replay string, the warning on stderr (explore and exhaust)', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'mmcheck-failures'), '');
    for (const command of ['explore', 'exhaust']) {
      const r = await run([command, '--model', 'lost-update', '--json'], cwd);
      expect(r.code).toBe(1);
      expect(jsonOf(r)).toMatchObject({ violation: 'noLostUpdate', failureFile: null });
      expect(jsonOf(r).replay).toMatch(/^mm1:lost-update:/);
      expect(r.err).toEqual([expect.stringMatching(/^mmcheck: warning: failure file not written/)]);
    }
  });
});

describe('writing failure files', () => {
  it('leaves no temporary file behind', async () => {
    const r = await run(lostUpdate);
    expect(readdirSync(join(r.cwd, 'mmcheck-failures'))).toEqual([
      expect.stringMatching(/^lost-update-noLostUpdate-1-1-[0-9a-f]{8}\.json$/),
    ]);
  });

  it('keeps a file of other content under the same name and writes the finding next to it', async () => {
    const first = jsonOf(await run([...lostUpdate, '--json']));
    const file = first.failureFile as string;
    const cwd = join(file, '..', '..');
    writeFileSync(file, '{"someone": "else"}');
    const second = jsonOf(await run([...lostUpdate, '--json'], cwd));
    expect(second.failureFile).toBe(file.replace(/\.json$/, '-2.json'));
    expect(readFileSync(file, 'utf8')).toBe('{"someone": "else"}');
    const again = jsonOf(await run([...lostUpdate, '--json'], cwd));
    expect(again.failureFile).toBe(second.failureFile);
    expect(readdirSync(join(cwd, 'mmcheck-failures'))).toHaveLength(2);
  });

  it('a directory squatting on the name is skipped', async () => {
    const first = jsonOf(await run([...lostUpdate, '--json']));
    const file = first.failureFile as string;
    const text = readFileSync(file, 'utf8');
    rmSync(file);
    mkdirSync(file);
    const r = jsonOf(await run([...lostUpdate, '--json'], join(file, '..', '..')));
    expect(r.failureFile).toBe(file.replace(/\.json$/, '-2.json'));
    expect(readFileSync(r.failureFile as string, 'utf8')).toBe(text);
  });
});
