/**
 * Bad input that used to crash the CLI (exit 3 with a stack) or be misreported: unreadable scenario and
 * failure files, initial pages that do not fit one cluster, JSON nested thousands of levels deep,
 * duplicate pages, `__proto__` settings, conflicting scenario flags, non-plain integers. Each is a
 * one-line usage error (exit 2). Negative seeds work as `--seed -5`.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinScenarios } from '../../src/models/almos/scenarios.js';
import { expectUsageError, jsonOf, run, tempDir } from './helpers.js';

const lu = ['--model', 'lost-update'];

/** A directory holding `files` (name -> content); `links` are symlinks (name -> target). */
function dirWith(files: Record<string, string>, links: Record<string, string> = {}): string {
  const cwd = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(cwd, name), text);
  for (const [name, target] of Object.entries(links)) symlinkSync(target, join(cwd, name));
  mkdirSync(join(cwd, 'dir'));
  return cwd;
}

const deep = (n: number, inner = '0'): string => `${'['.repeat(n)}${inner}${']'.repeat(n)}`;

/** Two clusters of 2 frames: 3 DATA pages at even vpns all live in cluster 0 (4 frames in total). */
const crowded = {
  clusters: 2,
  coresPerCluster: 1,
  framesPerCluster: 2,
  processes: [
    {
      ref: 0,
      vsegs: [{ type: 'DATA', base: 0, size: 6 }],
      pages: [0, 2, 4].map((vpn) => ({ vpn, content: [vpn] })),
      threads: [{ cxy: 0, ops: [{ op: 'load', va: 0 }] }],
    },
  ],
};
const duplicated = {
  ...crowded,
  framesPerCluster: 8,
  processes: [{ ...crowded.processes[0], pages: [0, 2, 0].map((vpn) => ({ vpn, content: [vpn] })) }],
};

const cwd = dirWith(
  {
    'empty.json': '',
    'blank.json': ' \n\t\n',
    'name.json': 'default',
    'crowded.json': JSON.stringify(crowded),
    'roomy.json': JSON.stringify({ ...crowded, framesPerCluster: 4 }),
    'dup.json': JSON.stringify(duplicated),
    'deep.json': `{"clusters": ${deep(5000)}}`,
    'deep-open.json': `{"processes": ${'['.repeat(100_000)}`,
    'deep-string.json': JSON.stringify({ ...crowded, clusters: deep(5000) }),
    'fault.json': JSON.stringify(builtinScenarios['shared-fault']),
    'deep-failure.json': `{"format": "mmcheck-failure/1", "trace": [${deep(5000, '{}')}]}`,
  },
  { loop: 'loop', ping: 'pong', pong: 'ping', dangling: 'nowhere.json' },
);

const explore = (...args: string[]) => ['explore', '--runs', '2', ...args];

const cases: [string, string[], RegExp][] = [
  ['an empty scenario file', explore('--scenario', 'empty.json'), /scenario file 'empty.json' is empty$/],
  ['a blank scenario file', explore('--scenario', 'blank.json'), /scenario file 'blank.json' is empty$/],
  ['a scenario directory', explore('--scenario', 'dir'), /scenario file 'dir' is a directory$/],
  [
    'a symlink to itself',
    explore('--scenario', 'loop'),
    /scenario file 'loop' cannot be read: symbolic link loop$/,
  ],
  ['a symlink cycle', explore('--scenario', 'ping'), /'ping' cannot be read: symbolic link loop$/],
  ['a dangling symlink', explore('--scenario', 'dangling'), /scenario file 'dangling' does not exist$/],
  [
    'a path through a file',
    explore('--scenario', 'fault.json/x'),
    /'fault.json\/x' does not exist \(a component/,
  ],
  [
    'a scenario file that is no object',
    explore('--scenario', 'name.json'),
    /'name.json' does not hold a JSON object$/,
  ],
  ['a replay of an empty file', ['replay', 'empty.json'], /^mmcheck: replay: file 'empty.json' is empty$/],
  [
    'a replay of a symlink loop',
    ['replay', 'loop'],
    /^mmcheck: replay: file 'loop' cannot be read: symbolic link loop$/,
  ],
  [
    'pages that fit the machine but not their cluster',
    explore('--scenario', 'crowded.json'),
    /^mmcheck: scenario: cluster 0 holds 3 initial pages but has only 2 frames \(framesPerCluster\)$/,
  ],
  [
    'a framesPerCluster setting too small for the scenario',
    explore('--model', 'almos', '--set', 'framesPerCluster=1'),
    /^mmcheck: scenario: cluster \d holds \d initial pages but has only 1 frame \(framesPerCluster\)$/,
  ],
  [
    'a framesPerCluster setting too small for a scenario file',
    explore('--scenario', 'roomy.json', '--set', 'framesPerCluster=2'),
    /^mmcheck: scenario: cluster 0 holds 3 initial pages but has only 2 frames \(framesPerCluster\)$/,
  ],
  [
    'a page listed twice',
    explore('--scenario', 'dup.json'),
    /^mmcheck: scenario: processes\[0\]\.pages\[2\]\.vpn: vpn 0 is listed twice/,
  ],
  [
    'scenario JSON 5000 levels deep',
    explore('--scenario', 'deep.json'),
    /^mmcheck: scenario: JSON nested deeper than 64 levels$/,
  ],
  [
    'unterminated JSON 100000 levels deep',
    explore('--scenario', 'deep-open.json'),
    /JSON nested deeper than 64 levels$/,
  ],
  [
    'a deep bracket string (not nesting)',
    explore('--scenario', 'deep-string.json'),
    /^mmcheck: scenario: clusters: expected an integer, got "\[{36}\.\.\.$/,
  ],
  [
    '--set scenario= 5000 levels deep',
    explore('--model', 'almos', '--set', `scenario={"a":${deep(5000)}}`),
    /deeper than 64/,
  ],
  [
    'a failure file 5000 levels deep',
    ['replay', 'deep-failure.json'],
    /^mmcheck: malformed failure file: JSON nested deeper than 256 levels$/,
  ],
  [
    '--set __proto__',
    explore(...lu, '--set', '__proto__=1'),
    /^mmcheck: model 'lost-update' has no setting '__proto__'/,
  ],
  [
    '--set __proto__ on almos',
    explore('--model', 'almos', '--set', '__proto__={}'),
    /has no setting '__proto__'/,
  ],
  ['--set constructor', explore(...lu, '--set', 'constructor=1'), /has no setting 'constructor'/],
  [
    '--scenario with --set scenario=',
    explore('--scenario', 'fault.json', '--set', 'scenario=default'),
    /^mmcheck: explore: --scenario and --set scenario=\.\.\. are exclusive$/,
  ],
  ['--runs +5', explore(...lu, '--runs', '+5'), /--runs expects an integer, got '\+5'$/],
  ['--runs " 5"', explore(...lu, '--runs', ' 5'), /--runs expects an integer, got ' 5'$/],
  ['--runs 05', explore(...lu, '--runs', '05'), /--runs expects an integer, got '05'$/],
  ['--runs 1e3', explore(...lu, '--runs', '1e3'), /--runs expects an integer, got '1e3'$/],
  ['--runs 0x10', explore(...lu, '--runs', '0x10'), /--runs expects an integer, got '0x10'$/],
  ['--runs empty', explore(...lu, '--runs='), /--runs expects an integer, got ''$/],
  ['--runs -5', explore(...lu, '--runs', '-5'), /--runs must be at least 1, got -5$/],
  [
    '--max-states of 30 digits',
    ['exhaust', ...lu, '--max-states', '9'.repeat(30)],
    /--max-states must be at most 9007199254740991, got 9{30}$/,
  ],
  ['--seed -0', explore(...lu, '--seed', '-0'), /--seed expects an integer, got '-0'$/],
  ['a setting 05', explore(...lu, '--set', 'threads=05'), /setting 'threads' expects an integer, got '05'$/],
  ['a setting +2', explore(...lu, '--set', 'threads=+2'), /setting 'threads' expects an integer, got '\+2'$/],
];

describe('bad input is a one-line usage error (exit 2)', () => {
  it.each(cases)('%s', async (_, argv, pattern) => {
    const r = await run(argv, cwd);
    expectUsageError(r, pattern);
    expect(r.out).toEqual([]);
  });
});

describe('negative seeds', () => {
  it('--seed -5 is the seed -5, as --seed=-5', async () => {
    const a = jsonOf(await run(['explore', ...lu, '--seed', '-5', '--json']));
    const b = jsonOf(await run(['explore', ...lu, '--seed=-5', '--json']));
    expect(a).toMatchObject({ verdict: 'violation', seed: -5 });
    expect(a.replay).toMatch(/^mm1:lost-update:-5:/);
    expect(a.replay).toBe(b.replay);
    const back = await run(['replay', a.failureFile as string]);
    expect(back.code).toBe(1);
    expect(back.out.at(-1)).toBe('reproduced: same violation, same trace');
  });

  it('a negative number after a boolean flag is still an unexpected argument', async () => {
    expectUsageError(
      await run(['explore', ...lu, '--json', '-5']),
      /Unexpected argument '-5'|Unknown option '-5'/,
    );
  });
});
