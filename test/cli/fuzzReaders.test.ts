/**
 * Fuzz of the readers (fast-check, fixed seed from test/setup.ts): replay strings, failure files and
 * scenario JSON, each derived from real ones (findings recorded once per file) by truncation, spliced
 * characters, values replaced at range edges or by other types, deleted or duplicated entries, added
 * keys (`__proto__` among them) and nesting up to 1000 levels deep. Every case meets the exit contract
 * of fuzz.ts (0, 1 or 2 with a one-line message, never 3), and a scenario finding's failure file replays
 * to the same violation. Searches stay tiny: at most 2 runs of 16 steps, or 40 states.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinScenarios } from '../../src/models/almos/scenarios.js';
import { models } from '../../src/models/index.js';
import { damage, type Mutation, mutate, mutation, numberText, runCase, textDamage } from './fuzz.js';
import { tempDir } from './helpers.js';

/** Cases of this file (with fuzzArgs.test.ts, over 5,000 in CI). */
const replayStringCases = 1500;
const failureFileCases = 700;
const scenarioCases = 1500;

const cwd = tempDir();
let files = 0;
/** A new file holding `text` (rewriting one file is much slower: ext4 flushes a truncated file). */
function freshFile(text: string): string {
  const name = `input-${files++}.json`;
  writeFileSync(join(cwd, name), text);
  return name;
}

interface Recorded {
  readonly replay: string;
  readonly file: string;
}
const recorded: Recorded[] = [];

/** Findings to mutate: two examples (explore, exhaust), an almos G1 race and an almos livelock (.budget). */
beforeAll(async () => {
  const finders = [
    ['explore', '--model', 'lost-update', '--set', 'threads=3'],
    ['exhaust', '--model', 'peterson-broken'],
    ['explore', '--model', 'almos', '--set', 'scenario=fork-sibling-fault', '--set', 'generation=G1'],
    ['explore', '--model', 'almos', '--set', 'scenario=shared-fault', '--max-steps', '6'],
  ];
  for (const argv of finders) {
    const r = await runCase([...argv, '--json'], cwd);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out[0] as string) as { replay: string; failureFile: string };
    recorded.push({ replay: j.replay, file: readFileSync(j.failureFile, 'utf8') });
  }
  expect(recorded.some((r) => r.replay.endsWith('.budget'))).toBe(true);
});

const token = fc.constantFrom(
  '0',
  '1',
  '2',
  '3',
  '4',
  '9',
  'c0',
  'c1',
  'c2',
  'c9',
  '-',
  '',
  'x',
  'budget',
  'c',
  '01',
);

type Decisions = { kind: 'drop' | 'duplicate' | 'replace' | 'cut' | 'swap'; at: number; token: string };
const decisionEdit: fc.Arbitrary<Decisions> = fc.record({
  kind: fc.constantFrom('drop', 'duplicate', 'replace', 'cut', 'swap'),
  at: fc.nat(),
  token,
});

function editDecisions(text: string, e: Decisions): string {
  const budget = text.endsWith('.budget');
  const tokens = (budget ? text.slice(0, -'.budget'.length) : text).split('.');
  const i = e.at % tokens.length;
  if (e.kind === 'drop') tokens.splice(i, 1);
  if (e.kind === 'duplicate') tokens.splice(i, 0, tokens[i] as string);
  if (e.kind === 'replace') tokens[i] = e.token;
  if (e.kind === 'cut') tokens.length = i;
  if (e.kind === 'swap') [tokens[0], tokens[i]] = [tokens[i] as string, tokens[0] as string];
  return `${tokens.join('.')}${budget ? '.budget' : ''}`;
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

type PartEdit =
  | { part: 'model'; value: string }
  | { part: 'seed'; value: string }
  | { part: 'config'; m: Mutation }
  | { part: 'configText'; value: string }
  | { part: 'decisions'; edits: Decisions[] }
  | { part: 'budget' };

/** Configuration edits: nesting is pointless there (every setting must be a scalar). */
const flatMutation = mutation.filter((m) => m.kind !== 'nest');

const partEdit: fc.Arbitrary<PartEdit> = fc.oneof(
  fc.record({
    part: fc.constant('model' as const),
    value: fc.constantFrom(...models.map((m) => m.name), 'Almos', '', 'nope', 'lost_update'),
  }),
  fc.record({ part: fc.constant('seed' as const), value: numberText }),
  { weight: 3, arbitrary: fc.record({ part: fc.constant('config' as const), m: flatMutation }) },
  fc.record({
    part: fc.constant('configText' as const),
    value: fc.oneof(fc.string({ maxLength: 8 }), fc.string().map(b64)),
  }),
  {
    weight: 4,
    arbitrary: fc.record({
      part: fc.constant('decisions' as const),
      edits: fc.array(decisionEdit, { minLength: 1, maxLength: 3 }),
    }),
  },
  fc.record({ part: fc.constant('budget' as const) }),
);

function configOf(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return {};
  }
}

function editReplay(replay: string, e: PartEdit): string {
  const parts = replay.split(':');
  if (parts.length !== 5) return replay; // an earlier edit broke the frame: nothing to aim at
  const [mm, model, seed, config, decisions] = parts as [string, string, string, string, string];
  switch (e.part) {
    case 'model':
      return [mm, e.value, seed, config, decisions].join(':');
    case 'seed':
      return [mm, model, e.value, config, decisions].join(':');
    case 'config':
      return [mm, model, seed, b64(JSON.stringify(mutate(configOf(config), e.m)) ?? ''), decisions].join(':');
    case 'configText':
      return [mm, model, seed, e.value, decisions].join(':');
    case 'decisions':
      return [mm, model, seed, config, e.edits.reduce(editDecisions, decisions)].join(':');
    case 'budget':
      return replay.endsWith('.budget') ? replay.slice(0, -'.budget'.length) : `${replay}.budget`;
  }
}

/** A recorded finding; the long almos race (tens of traced steps) less often than the short ones. */
const which = fc.oneof(
  { weight: 19, arbitrary: fc.constantFrom(0, 1, 3) },
  { weight: 1, arbitrary: fc.constant(2) },
);
const json = fc.constantFrom([], ['--json']);

describe('fuzz: the readers', () => {
  it(`${replayStringCases} replay strings`, async () => {
    const edited = fc.oneof(
      {
        weight: 4,
        arbitrary: fc
          .tuple(which, fc.array(partEdit, { minLength: 1, maxLength: 2 }))
          .map(([i, es]) => es.reduce(editReplay, (recorded[i] as Recorded).replay)),
      },
      {
        weight: 1,
        arbitrary: fc.tuple(which, textDamage).map(([i, d]) => damage((recorded[i] as Recorded).replay, d)),
      },
    );
    await fc.assert(
      fc.asyncProperty(edited, json, async (replay, flags) => {
        await runCase(['replay', replay, ...flags], cwd);
      }),
      { numRuns: replayStringCases },
    );
  }, 600_000);

  it(`${failureFileCases} failure files`, async () => {
    const edited = fc.oneof(
      {
        weight: 3,
        arbitrary: fc
          .tuple(which, mutation)
          .map(([i, m]) => JSON.stringify(mutate(JSON.parse((recorded[i] as Recorded).file), m)) ?? ''),
      },
      {
        weight: 1,
        arbitrary: fc.tuple(which, textDamage).map(([i, d]) => damage((recorded[i] as Recorded).file, d)),
      },
    );
    await fc.assert(
      fc.asyncProperty(edited, json, async (text, flags) => {
        await runCase(['replay', freshFile(text), ...flags], cwd);
      }),
      { numRuns: failureFileCases },
    );
  }, 600_000);

  it(`${scenarioCases} scenarios (file or --set scenario=) under explore and exhaust`, async () => {
    const named = (names: string[]) => fc.constantFrom(...names.map((n) => builtinScenarios[n] as unknown));
    const base = fc.oneof(
      { weight: 8, arbitrary: named(['shared-fault', 'fork-sibling-fault', 'munmap-race', 'cow-exit-race']) },
      { weight: 1, arbitrary: named(['default']) },
    );
    const scenarioText = fc.oneof(
      {
        weight: 4,
        arbitrary: fc
          .tuple(base, fc.option(flatMutation), mutation)
          .map(
            ([s, first, last]) => JSON.stringify(mutate(first === null ? s : mutate(s, first), last)) ?? '',
          ),
      },
      {
        weight: 1,
        arbitrary: fc.tuple(base, textDamage).map(([s, d]) => damage(JSON.stringify(s), d)),
      },
    );
    const small = (flag: string, max: number) => fc.integer({ min: 1, max }).map((n) => [flag, String(n)]);
    const knobs = fc
      .tuple(
        fc.subarray([
          ['--set', 'generation=G2'],
          ['--set', 'allocFailures=true'],
        ]),
        fc.constantFrom([], [['--set', 'framesPerCluster=1']], [['--set', 'framesPerCluster=2']]),
      )
      .map(([a, b]) => [...a, ...b]);
    const command = fc.oneof(
      fc.tuple(small('--runs', 2), small('--max-steps', 16), knobs).map((fs) => ['explore', ...fs.flat(2)]),
      fc
        .tuple(
          small('--max-states', 40),
          small('--max-depth', 30),
          fc.constantFrom([], ['--dfs'], ['--dfs', '--por']),
          knobs,
        )
        .map((fs) => ['exhaust', ...fs.flat(2)]),
    );
    await fc.assert(
      fc.asyncProperty(scenarioText, command, fc.boolean(), async (text, [name, ...flags], inline) => {
        const source = inline
          ? ['--model', 'almos', '--set', `scenario=${text}`]
          : ['--scenario', freshFile(text)];
        const argv = [name as string, ...source, ...flags, '--json'];
        const r = await runCase(argv, cwd);
        if (r.code !== 1) return;
        const j = JSON.parse(r.out[0] as string) as { violation: string; failureFile: string };
        const back = await runCase(['replay', j.failureFile, '--json'], cwd);
        expect(JSON.parse(back.out[0] as string)).toMatchObject({ violation: j.violation, reproduced: true });
      }),
      { numRuns: scenarioCases },
    );
  }, 600_000);
});
