/**
 * Hashing state is explicit (src/engine/hash.ts): a Hasher holds its lanes and string digest cache,
 * and a fingerprint is a pure function of the value — whatever the hasher hashed before (warm or
 * emptied cache, a failed call), whichever hasher computes it, whichever hasher memoised digests on
 * the objects first.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint, newHasher } from '../../src/engine/hash.js';

const hex = (out: Uint32Array) =>
  (out[0] as number).toString(16).padStart(8, '0') + (out[1] as number).toString(16).padStart(8, '0');
const stateOf = (shared: unknown, n: number) => ({
  shared,
  threads: Array.from({ length: n }, (_, id) => ({
    id,
    stack: [{ proc: 'p', pc: `l${id}`, locals: { id } }],
  })),
});

describe('Hasher', () => {
  it.each(['hash.ts', 'value.ts'])('%s keeps no mutable state at module level', (file) => {
    const source = readFileSync(join(import.meta.dirname, '../../src/engine', file), 'utf8');
    expect(source).not.toMatch(/^(let|var)\s/m);
    expect(source).not.toMatch(/^(export )?const \w+(: [^=]+)? = new (Map|Set|WeakMap|Uint32Array|Array)\b/m);
  });

  it('property: a used hasher and a fresh one agree with fingerprint()', () => {
    const used = newHasher();
    const out = new Uint32Array(2);
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (before, v) => {
        used.fingerprintInto(before, out);
        used.fingerprintInto(v, out);
        expect(hex(out)).toBe(fingerprint(v));
        newHasher().fingerprintInto(v, out);
        expect(hex(out)).toBe(fingerprint(v));
      }),
    );
  });

  it('gives the same fingerprint after a failed call and after its string cache was emptied', () => {
    const h = newHasher();
    const out = new Uint32Array(2);
    const v = { a: ['x', 'y', 1.5], b: { c: 'z' } };
    h.fingerprintInto(v, out);
    const first = hex(out);
    expect(() => h.fingerprintInto({ a: [1, () => 2] }, out)).toThrow(TypeError);
    h.fingerprintInto(
      Array.from({ length: 70_000 }, (_, i) => `s${i}`),
      out,
    );
    h.fingerprintInto(v, out);
    expect(hex(out)).toBe(first);
  });

  it('state fingerprints do not depend on the hasher, nor on which hasher memoised the digests', () => {
    const shared = () => ({
      page: Array.from({ length: 8 }, (_, i) => ({ free: i % 2 === 0, n: i })),
      x: 'k',
    });
    const [a, b] = [newHasher(), newHasher()];
    const out = new Uint32Array(2);
    const results = new Set<string>();
    const s1 = stateOf(shared(), 3);
    a.fingerprintStateInto(s1, out, [1, 2]);
    results.add(hex(out));
    b.fingerprintStateInto(s1, out, [1, 2]);
    results.add(hex(out));
    b.fingerprintStateInto(stateOf(shared(), 3), out, [1, 2]);
    results.add(hex(out));
    expect(results.size).toBe(1);
    a.fingerprintStateInto(stateOf(shared(), 3), out, [2, 1]);
    expect(results.has(hex(out))).toBe(false);
    const flat = new Set<string>();
    for (const h of [a, b]) {
      h.fingerprintStateInto(stateOf(shared(), 3), out, [], false);
      flat.add(hex(out));
    }
    expect(flat.size).toBe(1);
  });
});
