/**
 * Enforces shared/design.md: `Math.random`, `Date.now` and friends are banned from model, hardware and
 * engine code (one seeded PRNG passed explicitly; no leftover debug output). Comments may mention them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const scannedDirs = ['src/engine', 'src/hw', 'src/models'];

const banned: readonly [string, RegExp][] = [
  ['Math.random', /\bMath\s*\.\s*random\b/],
  ['Date.now', /\bDate\s*\.\s*now\b/],
  ['new Date(', /\bnew\s+Date\s*\(/],
  ['performance.now', /\bperformance\s*\.\s*now\b/],
  ['console.log', /\bconsole\s*\.\s*log\b/],
];

/** Blanks out comments (keeping line breaks, so line numbers stay right); strings are kept. */
function stripComments(source: string): string {
  let out = '';
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i] as string;
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      while (i < n && source[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      i += 2;
      while (i < n && !(source[i] === '*' && source[i + 1] === '/')) {
        if (source[i] === '\n') out += '\n';
        i++;
      }
      i += 2;
    } else if (c === "'" || c === '"' || c === '`') {
      out += c;
      i++;
      while (i < n && source[i] !== c && (c === '`' || source[i] !== '\n')) {
        if (source[i] === '\\') {
          out += source[i];
          i++;
        }
        out += source[i] ?? '';
        i++;
      }
      if (i < n) out += source[i];
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

interface Finding {
  readonly line: number;
  readonly what: string;
  readonly text: string;
}

/** Banned calls in a TypeScript source, with 1-based line numbers. */
function findBanned(source: string): Finding[] {
  const findings: Finding[] = [];
  const original = source.split('\n');
  stripComments(source)
    .split('\n')
    .forEach((line, index) => {
      for (const [what, re] of banned) {
        if (re.test(line)) findings.push({ line: index + 1, what, text: (original[index] ?? '').trim() });
      }
    });
  return findings;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.isFile() && entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('the banned-call scanner', () => {
  it('finds each banned call with its line', () => {
    const source = [
      'const a = 1;',
      'const r = Math.random();',
      'const t = Date.now();',
      'const d = new Date();',
      'const p = performance.now();',
      'console.log(a);',
      'const q = Math . random ();',
    ].join('\n');
    expect(findBanned(source).map((f) => [f.line, f.what])).toEqual([
      [2, 'Math.random'],
      [3, 'Date.now'],
      [4, 'new Date('],
      [5, 'performance.now'],
      [6, 'console.log'],
      [7, 'Math.random'],
    ]);
    expect(findBanned(source)[0]?.text).toBe('const r = Math.random();');
  });

  it('ignores mentions in comments but keeps line numbers right', () => {
    const source = [
      '/**',
      ' * `Math.random` is banned; so is Date.now.',
      ' */',
      'const x = 1; // console.log(x)',
      '/* new Date( */ const y = 2;',
      'const z = Date.now();',
    ].join('\n');
    expect(findBanned(source)).toEqual([{ line: 6, what: 'Date.now', text: 'const z = Date.now();' }]);
  });

  it('is not fooled by comment markers inside strings', () => {
    const source = [
      "const url = 'http://example'; console.log(url);",
      'const s = "/*"; const t = Math.random();',
      `const u = \`a \${1} // b\`; performance.now();`,
      "const e = 'it\\'s'; Date.now();",
    ].join('\n');
    expect(findBanned(source).map((f) => [f.line, f.what])).toEqual([
      [1, 'console.log'],
      [2, 'Math.random'],
      [3, 'performance.now'],
      [4, 'Date.now'],
    ]);
  });

  it('does not flag similar but allowed names', () => {
    const source =
      'const p = new Prng(1); p.int(3); myMath.randomize(); console.error("x"); const DateNow = 1;';
    expect(findBanned(source)).toEqual([]);
  });
});

describe('engine and model code', () => {
  const files = scannedDirs.flatMap((d) => tsFiles(join(root, d)));

  it('scans the real source tree', () => {
    const names = files.map((f) => relative(root, f));
    expect(names).toContain(join('src', 'engine', 'executor.ts'));
    expect(names).toContain(join('src', 'engine', 'prng.ts'));
    expect(names).toContain(join('src', 'models', 'examples', 'lostUpdate.ts'));
    expect(files.length).toBeGreaterThan(10);
  });

  it('contains no Math.random, Date.now, new Date(, performance.now or console.log', () => {
    const findings = files.flatMap((file) =>
      findBanned(readFileSync(file, 'utf8')).map(
        (f) => `${relative(root, file)}:${f.line}: ${f.what} in '${f.text}'`,
      ),
    );
    expect(findings).toEqual([]);
  });
});
