/**
 * Support of the CLI fuzz tests: the in-process CLI run of one case and the contract every case must
 * meet — exit 0, 1 or 2, never 3; on exit 2 exactly one stderr line `mmcheck: ...` (no stack, no
 * newline); on exit 0 or 1 nothing on stderr but warnings. A broken case throws with its argv, so a
 * failure reads as the command line to type. Also the JSON mutations shared by the reader fuzzers.
 */
import fc from 'fast-check';
import { type Io, main } from '../../src/cli/main.js';

export interface Outcome {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
}

/** Runs `mmcheck <argv>` in `cwd` and checks the exit contract; throws naming the argv otherwise. */
export async function runCase(argv: readonly string[], cwd: string): Promise<Outcome> {
  const out: string[] = [];
  const err: string[] = [];
  let clock = 0;
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), cwd, now: () => clock++ };
  const code = await main([...argv], io);
  const problem = contractBroken(code, err);
  if (problem !== null) {
    const shown = JSON.stringify(argv);
    throw new Error(
      `${problem}\n  argv: ${shown.length > 2000 ? `${shown.slice(0, 2000)}...` : shown}\n  stderr: ${err.slice(0, 5).join('\n          ')}`,
    );
  }
  return { code, out, err };
}

function contractBroken(code: number, err: readonly string[]): string | null {
  if (code !== 0 && code !== 1 && code !== 2) return `exit ${code}`;
  for (const line of err) {
    if (line.includes('\n')) return 'a stderr line holds a newline';
    if (/internal error|^\s+at /.test(line)) return 'a stack trace on stderr';
  }
  if (code === 2) {
    if (err.length !== 1) return `exit 2 with ${err.length} stderr lines`;
    if (!/^mmcheck: \S/.test(err[0] as string)) return 'exit 2 without a `mmcheck: ` message';
  } else if (err.some((l) => !l.startsWith('mmcheck: warning: '))) {
    return `exit ${code} with an error on stderr`;
  }
  return null;
}

/** Integers, as text, around the edges of every range the CLI and the models check. */
export const edgeInts = [
  -2147483649,
  -2147483648,
  -5,
  -1,
  0,
  1,
  2,
  3,
  4,
  5,
  6,
  7,
  15,
  16,
  63,
  64,
  65,
  1000,
  2147483647,
  2147483648,
  2 ** 53,
];

/** Numbers and near-numbers as flag or setting text: plain, signed, padded, exponent, hex, huge. */
export const numberText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...edgeInts).map(String),
  fc.integer({ min: -20, max: 20 }).map(String),
  fc.constantFrom(
    '',
    ' 1',
    '1 ',
    '+1',
    '01',
    '-0',
    '1e3',
    '1.5',
    '0x10',
    '1_000',
    'NaN',
    'Infinity',
    '9'.repeat(30),
  ),
  fc.string({ maxLength: 6 }),
);

/** A JSON value to graft into a document: scalars at range edges, small structures, odd types. */
export const jsonGraft: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...edgeInts, 1.5, -0.5, 1e9, null, true, false, '', '0', 'DATA', 'fork', '__proto__'),
  fc.constantFrom([], {}, [[]], [0], [1, 2], { op: 'load', va: 0 }, { op: 'fork', cxy: 0, ops: [] }),
  fc.jsonValue({ maxDepth: 2 }),
);

type Json = unknown;
type Path = (string | number)[];

/** Every path to a value inside `v` (the root included), in document order. */
function paths(v: Json, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) paths(x, [...at, i], out);
  } else if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  }
  return out;
}

function get(root: Json, path: Path): Json {
  return path.reduce<Json>((v, k) => (v as Record<string, unknown>)[k], root);
}

/** A copy of `root` with `f` applied to the parent of `path` (not the root). */
function edit(
  root: Json,
  path: Path,
  f: (parent: Record<string, unknown> | unknown[], key: string | number) => void,
): Json {
  const copy = structuredClone(root);
  f(get(copy, path.slice(0, -1)) as Record<string, unknown>, path.at(-1) as string | number);
  return copy;
}

export type Mutation =
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'delete'; at: number }
  | { kind: 'duplicate'; at: number }
  | { kind: 'addKey'; at: number; key: string; value: unknown }
  | { kind: 'nest'; at: number; levels: number }
  | { kind: 'nudge'; at: number; delta: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('nudge' as const),
      at: fc.nat(),
      delta: fc.constantFrom(-2, -1, 1, 2, 3),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: jsonGraft }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('addKey' as const),
      at: fc.nat(),
      key: fc.constantFrom('__proto__', 'constructor', 'extra', 'ops', 'pages', 'cxy'),
      value: jsonGraft,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('nest' as const),
      at: fc.nat(),
      levels: fc.constantFrom(1, 10, 62, 63, 64, 65, 255, 256, 257, 1000),
    }),
  },
);

/**
 * `doc` with one mutation applied at one of its paths (chosen by `at` modulo the number of paths; a
 * nudge adds `delta` to one of its numbers, so the result is often still valid, only unusual).
 */
export function mutate(doc: Json, m: Mutation): Json {
  const all = paths(doc);
  const path = all[m.at % all.length] as Path;
  switch (m.kind) {
    case 'nudge': {
      const numbers = all.filter((p) => typeof get(doc, p) === 'number');
      if (numbers.length === 0) return doc;
      const at = numbers[m.at % numbers.length] as Path;
      if (at.length === 0) return (doc as number) + m.delta;
      return edit(doc, at, (p, k) => setKey(p, k, (get(doc, at) as number) + m.delta));
    }
    case 'replace':
      return path.length === 0 ? m.value : edit(doc, path, (p, k) => setKey(p, k, m.value));
    case 'delete':
      if (path.length === 0) return null;
      return edit(doc, path, (p, k) => (Array.isArray(p) ? p.splice(k as number, 1) : delete p[k]));
    case 'duplicate':
      if (path.length === 0) return doc;
      return edit(doc, path, (p, k) => {
        if (Array.isArray(p)) p.splice(k as number, 0, structuredClone(p[k as number]));
      });
    case 'addKey': {
      const copy = structuredClone(doc);
      const holder = get(copy, path);
      if (typeof holder === 'object' && holder !== null && !Array.isArray(holder))
        setKey(holder as Record<string, unknown>, m.key, m.value);
      return copy;
    }
    case 'nest': {
      let v = get(doc, path);
      for (let i = 0; i < m.levels; i++) v = i % 2 === 0 ? [v] : { a: v };
      return path.length === 0 ? v : edit(doc, path, (p, k) => setKey(p, k, v));
    }
  }
}

/** An own data property, `__proto__` included (plain assignment would set the prototype). */
function setKey(p: Record<string, unknown> | unknown[], k: string | number, v: unknown): void {
  Object.defineProperty(p, k, { value: v, enumerable: true, writable: true, configurable: true });
}

export type TextDamage =
  | { kind: 'truncate'; at: number }
  | { kind: 'splice'; at: number; drop: number; insert: string };

/** Damage to a document's text: a truncation, or a few characters replaced. */
export const textDamage: fc.Arbitrary<TextDamage> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('splice' as const),
    at: fc.nat(),
    drop: fc.nat({ max: 4 }),
    insert: fc.string({ maxLength: 4 }),
  }),
);

export function damage(text: string, d: TextDamage): string {
  const at = text.length === 0 ? 0 : d.at % text.length;
  return d.kind === 'truncate'
    ? text.slice(0, at)
    : `${text.slice(0, at)}${d.insert}${text.slice(at + d.drop)}`;
}
