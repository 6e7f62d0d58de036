/**
 * Fuzz of the argument parser (fast-check, fixed seed from test/setup.ts): command lines made of every
 * command, every flag of every command with values at and beyond their edges (separate, `=`-attached
 * or missing), `--set` keys of every model plus `__proto__`, input files that are empty, a directory,
 * a symlink loop or missing, and stray tokens. Every case meets the exit contract of fuzz.ts (0, 1 or 2
 * with a one-line message, never 3). Searches stay tiny: the models are the small examples or almos on
 * a two-thread scenario, and the budget flags (`--runs`, `--max-steps`, `--max-states`, `--max-depth`)
 * are always given, small or invalid.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { parsePlainInt } from '../../src/engine/config.js';
import { builtinScenarios } from '../../src/models/almos/scenarios.js';
import { models } from '../../src/models/index.js';
import { numberText, runCase } from './fuzz.js';
import { tempDir } from './helpers.js';

/** Cases of this file (with fuzzReaders.test.ts, over 5,000 in CI). */
const argvCases = 2500;

/** Two working directories with the same input files; in the second, failure files cannot be written. */
function workDir(unwritable: boolean): string {
  const cwd = tempDir();
  writeFileSync(join(cwd, 'tiny.json'), JSON.stringify(builtinScenarios['shared-fault']));
  writeFileSync(join(cwd, 'bad.json'), '{"clusters": 9}');
  writeFileSync(join(cwd, 'empty.json'), '');
  mkdirSync(join(cwd, 'dir'));
  symlinkSync('loop', join(cwd, 'loop'));
  if (unwritable) writeFileSync(join(cwd, 'mmcheck-failures'), '');
  return cwd;
}
const cwds = [workDir(false), workDir(true)];

type Tokens = readonly string[];

/** `--flag value`, `--flag=value`, or (when `bare`) `--flag` alone. */
function flag(name: string, value: fc.Arbitrary<string>, bare = true): fc.Arbitrary<Tokens> {
  return fc.oneof(
    { weight: 4, arbitrary: value.map((v) => [`--${name}`, v]) },
    { weight: 2, arbitrary: value.map((v) => [`--${name}=${v}`]) },
    { weight: bare ? 1 : 0, arbitrary: fc.constant([`--${name}`]) },
  );
}

/** A budget value: a small valid integer, or one the CLI must reject (never a large valid one). */
function budget(max: number): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 1, max }).map(String) },
    {
      weight: 1,
      arbitrary: numberText.filter((t) => {
        const n = parsePlainInt(t);
        return n === null || n < 1 || n > Number.MAX_SAFE_INTEGER || n <= max;
      }),
    },
  );
}

const settingKeys = [...new Set(models.flatMap((m) => Object.keys(m.params)))];
const setting: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      fc.constantFrom(...settingKeys, '__proto__', 'constructor', 'toString', '', 'x'),
      fc.string({ maxLength: 4 }),
    ),
    fc.oneof(
      numberText,
      fc.constantFrom('true', 'false', 'G1', 'G2', 'default', 'nope', '{', '{}', `{"a":${'['.repeat(500)}`),
    ),
    fc.boolean(),
  )
  .map(([k, v, eq]) => (eq ? `${k}=${v}` : k));

const junk: fc.Arbitrary<Tokens> = fc.oneof(
  fc.constantFrom(['--json=1'], ['--bogus'], ['-x'], ['-'], ['--'], ['--JSON'], ['--no-json'], ['--help']),
  fc
    .string({ maxLength: 8 })
    .filter((s) => !/^\d|^--(runs|max-steps|max-states|max-depth|model|scenario|set)/.test(s))
    .map((s) => [s]),
);

/** Flags that do not change how much a search may do, by command; a few foreign or junk ones. */
const explores: fc.Arbitrary<Tokens>[] = [
  flag('scheduler', fc.constantFrom('random', 'rr', 'pct', 'portfolio', 'fifo', '', 'PCT')),
  flag('seed', numberText),
  flag('pct-depth', numberText),
  flag('set', setting),
  fc.constant(['--json']),
];
const exhausts: fc.Arbitrary<Tokens>[] = [
  flag('preemptions', numberText),
  flag('set', setting),
  fc.constantFrom(['--json'], ['--bfs'], ['--dfs'], ['--dfs', '--por'], ['--por']),
];
function extrasOf(own: fc.Arbitrary<Tokens>[], foreign: fc.Arbitrary<Tokens>[]): fc.Arbitrary<string[]> {
  const one = fc.oneof(
    ...own.map((arbitrary) => ({ weight: 6, arbitrary })),
    ...foreign.map((arbitrary) => ({ weight: 1, arbitrary })),
    { weight: 2, arbitrary: junk },
  );
  return fc.array(one, { maxLength: 3 }).map((groups) => groups.flat());
}
const json = [fc.constant(['--json'])];

/** What to check: small models only (almos on a two-thread scenario), or bad targets. */
const target: fc.Arbitrary<Tokens> = fc.oneof(
  fc.constantFrom(
    ...['lost-update', 'mutex-counter', 'peterson', 'peterson-broken', 'lock-inversion'].map((m) => [
      '--model',
      m,
    ]),
  ),
  fc.constantFrom(
    ['--model', 'almos', '--set', 'scenario=shared-fault'],
    ['--model=almos', '--set=scenario=fork-sibling-fault'],
    ['--scenario', 'tiny.json'],
    ['--scenario=tiny.json', '--model', 'almos'],
    ['--scenario', 'tiny.json', '--model', 'lost-update'],
    ['--scenario', 'tiny.json', '--set', 'scenario=shared-fault'],
    ['--scenario', 'empty.json'],
    ['--scenario', 'dir'],
    ['--scenario', 'loop'],
    ['--scenario', 'missing.json'],
    ['--scenario', 'bad.json'],
    ['--scenario='],
    ['--model', 'nope'],
    ['--model='],
    [],
  ),
);

/** `groups` in a random order, flattened. */
function shuffled(groups: fc.Arbitrary<Tokens>[]): fc.Arbitrary<Tokens> {
  return fc
    .tuple(...groups)
    .chain((gs) => fc.shuffledSubarray(gs, { minLength: gs.length }))
    .map((gs) => gs.flat());
}

const withExtras = (command: string, groups: fc.Arbitrary<Tokens>[], extras: fc.Arbitrary<string[]>) =>
  fc.tuple(shuffled(groups), extras).map(([a, b]) => [command, ...a, ...b]);

const replayArg = fc.oneof(
  fc.constantFrom(
    'mm1:lost-update:1:e30:0.2.0.2',
    'mm1:lost-update:1:e30:0',
    'mm1:lost-update:-5:e30:0.2.0.2.budget',
    'mm1:lost-update:1:e30:-.budget',
    'mm1:almos:1:e30:0',
    'mm1:nope:1:e30:0',
    'mm2:x',
    'tiny.json',
    'empty.json',
    'dir',
    'loop',
    'missing.json',
    '',
  ),
  fc.string({ maxLength: 12 }).map((s) => `mm1:${s}`),
);

const argv: fc.Arbitrary<Tokens> = fc.oneof(
  {
    weight: 6,
    arbitrary: withExtras(
      'explore',
      [target, flag('runs', budget(3), false), flag('max-steps', budget(200), false)],
      extrasOf(explores, exhausts),
    ),
  },
  {
    weight: 5,
    arbitrary: withExtras(
      'exhaust',
      [target, flag('max-states', budget(60), false), flag('max-depth', budget(40), false)],
      extrasOf(exhausts, explores),
    ),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.array(replayArg, { maxLength: 2 }), extrasOf(json, explores))
      .map(([p, e]) => ['replay', ...p, ...e]),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.array(fc.constantFrom('lost-update-2', 'nope', '', 'all '), { minLength: 1, maxLength: 2 }),
        extrasOf(json, explores),
      )
      .map(([p, e]) => ['check', ...p, ...e]),
  },
  { weight: 1, arbitrary: extrasOf(json, exhausts).map((e) => ['list', ...e]) },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.constantFrom('explore', 'exhaust', 'replay', 'check', 'list', 'help', 'frob', ''), {
        maxLength: 2,
      })
      .map((t) => ['help', ...t]),
  },
  { weight: 1, arbitrary: extrasOf(json, explores).map((e) => ['--bogus', ...e]) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.string({ maxLength: 6 }), extrasOf(json, explores))
      .map(([c, e]) => [c, ...e])
      .filter(([c]) => !/^(check|-|$)/.test(c as string)),
  },
);

describe('fuzz: the argument parser', () => {
  it(`${argvCases} command lines exit 0, 1 or 2 with a one-line message, never 3`, async () => {
    await fc.assert(
      fc.asyncProperty(argv, fc.nat({ max: 1 }), async (args, which) => {
        await runCase(args, cwds[which] as string);
      }),
      { numRuns: argvCases },
    );
  }, 600_000);
});
