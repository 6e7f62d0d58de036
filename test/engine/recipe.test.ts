/**
 * Replay recipes (src/engine/recipe.ts): the one-line replay string round trip, rejection of
 * malformed strings with one-line UsageErrors, and parsing of JSON failure files.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { ReplayDivergence, UsageError } from '../../src/engine/errors.js';
import {
  decodeDecisions,
  decodeReplay,
  encodeDecisions,
  encodeReplay,
  type FailureReport,
  failureFormat,
  parseRecipe,
  type Recipe,
} from '../../src/engine/recipe.js';
import type { Config } from '../../src/engine/types.js';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

/** The UsageError thrown by `f` (fails the test if it throws anything else or nothing). */
function usageError(f: () => unknown): UsageError {
  let error: unknown = null;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(UsageError);
  expect(error).not.toBeInstanceOf(ReplayDivergence);
  return error as UsageError;
}

const decisionArb = fc.nat({ max: 2 * 999_999_999 + 1 });
const configValueArb = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.string({ unit: 'grapheme' }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (x === 0 ? 0 : x)),
);
const configArb: fc.Arbitrary<Config> = fc.dictionary(
  fc.string().filter((k) => k !== '__proto__'),
  configValueArb,
  { noNullPrototype: true },
);
const recipeArb: fc.Arbitrary<Recipe> = fc.record({
  model: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
  seed: fc.integer(),
  config: configArb,
  decisions: fc.array(decisionArb, { maxLength: 200 }),
});

describe('decision encoding', () => {
  it('writes thread picks as ids and data choices as c<value>, joined by dots', () => {
    expect(encodeDecisions([0, 3, 4, 1, 20])).toBe('0.c1.2.c0.10');
    expect(encodeDecisions([])).toBe('-');
    expect(decodeDecisions('0.c1.2.c0.10')).toEqual([0, 3, 4, 1, 20]);
    expect(decodeDecisions('-')).toEqual([]);
  });

  test.prop([fc.array(decisionArb)])('round-trips any decision array', (decisions) => {
    expect(decodeDecisions(encodeDecisions(decisions))).toEqual(decisions);
  });
});

describe('replay string', () => {
  it('has the documented shape', () => {
    const text = encodeReplay({
      model: 'lost-update',
      seed: -5,
      config: { threads: 2 },
      decisions: [0, 2, 5],
    });
    expect(text).toBe(`mm1:lost-update:-5:${b64('{"threads":2}')}:0.1.c2`);
  });

  test.prop([recipeArb])('round-trips through encodeReplay / decodeReplay', (recipe) => {
    const text = encodeReplay(recipe);
    expect(text).not.toMatch(/\s/);
    expect(text.split(':')).toHaveLength(5);
    expect(decodeReplay(text)).toEqual(recipe);
    expect(decodeReplay(`  ${text}\n`)).toEqual(recipe);
    expect(parseRecipe(`${text}\n`)).toEqual({ recipe, report: null });
  });

  it('accepts the int32 extremes as seeds', () => {
    for (const seed of [-2147483648, 2147483647, 0]) {
      expect(decodeReplay(encodeReplay({ model: 'm', seed, config: {}, decisions: [] })).seed).toBe(seed);
    }
  });

  const ok = `mm1:lost-update:1:${b64('{}')}:0.c1`;
  it.each<[string, string, string]>([
    [
      'wrong prefix',
      ok.replace('mm1', 'mm2'),
      'malformed replay string: expected mm1:<model>:<seed>:<config>:<decisions>',
    ],
    ['too few parts', `mm1:lost-update:1:${b64('{}')}`, 'malformed replay string: expected mm1:'],
    ['too many parts', `${ok}:0`, 'malformed replay string: expected mm1:'],
    ['empty', '', 'malformed replay string: expected mm1:'],
    [
      'bad model name',
      ok.replace('lost-update', 'Lost_Update'),
      "malformed replay string: bad model name 'Lost_Update'",
    ],
    ['bad seed', ok.replace(':1:', ':x1:'), "malformed replay string: bad seed 'x1'"],
    ['fractional seed', ok.replace(':1:', ':1.5:'), "malformed replay string: bad seed '1.5'"],
    ['empty seed', ok.replace(':1:', '::'), "malformed replay string: bad seed ''"],
    ['oversized seed', ok.replace(':1:', ':12345678901:'), "malformed replay string: bad seed '12345678901'"],
    [
      'bad base64',
      ok.replace(b64('{}'), '!!!'),
      'malformed replay string: configuration is not base64url JSON',
    ],
    [
      'base64 of non-JSON',
      ok.replace(b64('{}'), b64('{threads: 2')),
      'malformed replay string: configuration is not base64url JSON',
    ],
    ['bad decision token', ok.replace('0.c1', '0.x.1'), 'malformed replay: bad decision "x"'],
    ['empty decision token', ok.replace('0.c1', '0..1'), 'malformed replay: bad decision ""'],
    ['empty decisions', ok.replace(':0.c1', ':'), 'malformed replay: bad decision ""'],
    ['negative choice', ok.replace('0.c1', 'c-1'), 'malformed replay: bad decision "c-1"'],
    ['oversized decision', ok.replace('0.c1', '1234567890'), 'malformed replay: bad decision "1234567890"'],
    [
      'non-scalar setting',
      ok.replace(b64('{}'), b64('{"threads":[2]}')),
      "malformed replay: setting 'threads' is not a scalar",
    ],
    [
      'null setting',
      ok.replace(b64('{}'), b64('{"a":1,"b":null}')),
      "malformed replay: setting 'b' is not a scalar",
    ],
    [
      'object setting',
      ok.replace(b64('{}'), b64('{"a":{}}')),
      "malformed replay: setting 'a' is not a scalar",
    ],
    ['array config', ok.replace(b64('{}'), b64('[1]')), 'malformed replay: configuration is not an object'],
    ['null config', ok.replace(b64('{}'), b64('null')), 'malformed replay: configuration is not an object'],
    ['scalar config', ok.replace(b64('{}'), b64('3')), 'malformed replay: configuration is not an object'],
  ])('rejects a malformed replay string (%s) with a one-line UsageError', (_name, text, message) => {
    const e = usageError(() => decodeReplay(text));
    expect(e.message.startsWith(message)).toBe(true);
    expect(e.message).not.toContain('\n');
    expect(usageError(() => parseRecipe(text)).message).toBe(e.message);
  });

  it('accepts the well-formed string the malformed ones derive from', () => {
    expect(decodeReplay(ok)).toEqual({ model: 'lost-update', seed: 1, config: {}, decisions: [0, 3] });
  });

  // Engine bug (src/engine/recipe.ts:41): the offending token is quoted verbatim, so a replay string
  // with a line break inside (a wrapped paste) gives a two-line UsageError, against the module contract
  // "Parsing rejects anything malformed with a one-line UsageError".
  it('keeps the error one line for a decision token containing a line break', () => {
    const e = usageError(() => decodeReplay(`mm1:lost-update:1:${b64('{}')}:0.\n1`));
    expect(e.message).not.toContain('\n');
  });
});

describe('parseRecipe (failure files)', () => {
  const replay = encodeReplay({
    model: 'lost-update',
    seed: 7,
    config: { threads: 2, increments: 1 },
    decisions: [0, 2, 0, 2],
  });
  const report: FailureReport = {
    format: failureFormat,
    model: 'lost-update',
    seed: 7,
    config: { threads: 2, increments: 1 },
    decisions: [0, 2, 0, 2],
    violation: { kind: 'invariant', name: 'noLostUpdate', message: 'x = 1, expected 2', step: 4 },
    scheduler: 'random',
    run: 3,
    replay,
    command: `npx mmcheck replay '${replay}'`,
    trace: [
      {
        step: 1,
        tid: 0,
        thread: 'T0',
        label: 'increment.load',
        footprint: ['r:x'],
        choices: [],
        changes: [],
      },
    ],
  };
  const file = JSON.stringify(report, null, 2);
  const without = (key: keyof FailureReport): string => {
    const copy: Record<string, unknown> = { ...report };
    delete copy[key];
    return JSON.stringify(copy);
  };

  it('reads a valid failure file: the recipe comes from its replay string', () => {
    const parsed = parseRecipe(`\n${file}\n`);
    expect(parsed.recipe).toEqual({
      model: 'lost-update',
      seed: 7,
      config: { threads: 2, increments: 1 },
      decisions: [0, 2, 0, 2],
    });
    expect(parsed.report).toEqual(report);
  });

  it.each<[string, string, string]>([
    [
      'wrong format',
      JSON.stringify({ ...report, format: 'mmcheck-failure/2' }),
      "malformed failure file: 'format' is not 'mmcheck-failure/1'",
    ],
    ['no format', without('format'), "malformed failure file: 'format' is not 'mmcheck-failure/1'"],
    ['no replay', without('replay'), "malformed failure file: no 'replay' string"],
    [
      'non-string replay',
      JSON.stringify({ ...report, replay: 3 }),
      "malformed failure file: no 'replay' string",
    ],
    ['no trace', without('trace'), "malformed failure file: no 'trace' array"],
    ['object trace', JSON.stringify({ ...report, trace: {} }), "malformed failure file: no 'trace' array"],
    ['no violation', without('violation'), "malformed failure file: no 'violation'"],
    [
      'null violation',
      JSON.stringify({ ...report, violation: null }),
      "malformed failure file: no 'violation'",
    ],
    [
      'nameless violation',
      JSON.stringify({ ...report, violation: { kind: 'deadlock' } }),
      "malformed failure file: no 'violation'",
    ],
    [
      'bad replay inside',
      JSON.stringify({ ...report, replay: 'mm1:x' }),
      'malformed replay string: expected mm1:',
    ],
    ['not JSON', '{"format": "mmcheck-failure/1",', 'malformed failure file: '],
    ['truncated file', file.slice(0, 120), 'malformed failure file: '],
  ])('rejects a malformed failure file (%s) with a one-line UsageError', (_name, text, message) => {
    const e = usageError(() => parseRecipe(text));
    expect(e.message.startsWith(message)).toBe(true);
    expect(e.message).not.toContain('\n');
  });

  it('treats text not starting with { as a replay string', () => {
    expect(usageError(() => parseRecipe('[1, 2]')).message).toMatch(
      /^malformed replay string: expected mm1:/,
    );
    expect(parseRecipe(replay).report).toBeNull();
  });

  // Engine bug (src/engine/recipe.ts:85): the JSON.parse message is embedded as is, and V8 quotes a
  // snippet of the input in it, raw line breaks included; a pretty-printed failure file with a bad
  // token thus gives a multi-line UsageError, against parseRecipe's "one-line errors" contract.
  it('keeps the error one line for a corrupted pretty-printed failure file', () => {
    const e = usageError(() => parseRecipe(file.replace('"seed": 7', '"seed": abc')));
    expect(e.message).not.toContain('\n');
  });
});
