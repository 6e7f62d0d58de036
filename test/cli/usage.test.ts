/** Every usage or input error: exit 2, exactly one stderr line `mmcheck: ...`, no stack, nothing on stdout. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportError } from '../../src/cli/errors.js';
import type { Io } from '../../src/cli/io.js';
import { HarnessError } from '../../src/engine/errors.js';
import { expectUsageError, run, tempDir } from './helpers.js';

const lu = ['--model', 'lost-update'];

const cases: [string, string[], RegExp][] = [
  ['unknown command', ['frob'], /unknown command 'frob'/],
  ['explore without --model', ['explore'], /--model is required/],
  ['unknown model', ['explore', '--model', 'nope'], /unknown model 'nope'/],
  ['unknown scheduler', ['explore', ...lu, '--scheduler', 'fifo'], /unknown scheduler 'fifo'/],
  ['non-integer --runs', ['explore', ...lu, '--runs', 'ten'], /--runs expects an integer/],
  ['fractional --runs', ['explore', ...lu, '--runs', '1.5'], /--runs expects an integer/],
  ['--runs 0', ['explore', ...lu, '--runs', '0'], /--runs must be at least 1/],
  ['--seed out of range', ['explore', ...lu, '--seed', '99999999999'], /--seed must be between/],
  ['--max-steps 0', ['explore', ...lu, '--max-steps', '0'], /--max-steps must be at least 1/],
  ['--pct-depth 0', ['explore', ...lu, '--pct-depth', '0'], /--pct-depth/],
  ['unknown flag', ['explore', ...lu, '--bogus'], /Unknown option '--bogus'/],
  ['flag without value', ['explore', '--model'], /--model/],
  ['unexpected positional', ['explore', 'extra', ...lu], /Unexpected argument 'extra'/],
  ['--set without =', ['explore', ...lu, '--set', 'threads'], /--set expects key=value/],
  ['--set unknown key', ['explore', ...lu, '--set', 'cores=2'], /no setting 'cores'/],
  ['--set out of range', ['explore', ...lu, '--set', 'threads=99'], /between 1 and 6/],
  ['--set twice', ['explore', ...lu, '--set', 'threads=2', '--set', 'threads=3'], /given twice/],
  ['--por without --dfs', ['exhaust', ...lu, '--por'], /--por requires --dfs/],
  ['--bfs with --dfs', ['exhaust', ...lu, '--bfs', '--dfs'], /exclusive/],
  [
    'negative --preemptions',
    ['exhaust', ...lu, '--dfs', '--preemptions=-1'],
    /--preemptions must be at least 0/,
  ],
  ['exhaust without --model', ['exhaust'], /--model is required/],
  ['replay without argument', ['replay'], /exactly one FILE/],
  [
    'replay of a missing file',
    ['replay', 'nope.json'],
    /^mmcheck: replay: file 'nope.json' does not exist \(nor is it a replay string 'mm1:...'\)$/,
  ],
  ['replay of a directory', ['replay', '.'], /^mmcheck: replay: file '.' is a directory$/],
  ['malformed replay string', ['replay', 'mm1:lost-update:x'], /malformed replay string/],
  ['replay string of an unknown model', ['replay', 'mm1:nope:1:e30:0'], /unknown model 'nope'/],
  ['replay string with bad decisions', ['replay', 'mm1:lost-update:1:e30:0.x'], /bad decision "x"/],
  ['check of an unknown row', ['check', 'nope'], /unknown row 'nope'/],
  ['check with two rows', ['check', 'a', 'b'], /at most one ROW/],
];

describe('usage errors', () => {
  it.each(cases)('%s', async (_, argv, pattern) => {
    const r = await run(argv);
    expectUsageError(r, pattern);
    expect(r.out).toEqual([]);
  });

  it.each([
    ['malformed JSON', '{"format": '],
    ['not a failure file', '{"format": "other"}'],
    ['a failure file without trace', '{"format": "mmcheck-failure/1", "replay": "mm1:lost-update:1:e30:-"}'],
  ])('replay of %s', async (_, text) => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'f.json'), text);
    expectUsageError(await run(['replay', 'f.json'], cwd), /malformed failure file/);
  });
});

describe('long input in a message', () => {
  it('an unknown option of 100,000 characters: one line of at most 1,008 characters', async () => {
    const r = await run(['explore', `--${'x'.repeat(100_000)}`]);
    expectUsageError(r, /^mmcheck: Unknown option '--x{900,}\.\.\.$/);
    expect((r.err[0] as string).length).toBe('mmcheck: '.length + 1000);
  });
});

describe('harness bugs', () => {
  it('exit 3 with the internal-error line and the stack', () => {
    const err: string[] = [];
    const io: Io = { out: () => {}, err: (l) => err.push(l), cwd: '.', now: () => 0 };
    expect(reportError(io, new HarnessError("procedure 'p' has no step 'x'"))).toBe(3);
    expect(err[0]).toBe(
      "mmcheck: internal error (harness bug, not a model finding): procedure 'p' has no step 'x'",
    );
    expect(err.slice(1).some((l) => /^\s+at /.test(l))).toBe(true);
    err.length = 0;
    expect(reportError(io, new TypeError('x is undefined'))).toBe(3);
    expect(err[0]).toMatch(/internal error \(harness bug, not a model finding\): x is undefined/);
  });
});
