/**
 * Plain-data utilities (src/engine/value.ts): deep clone independence, canonical fingerprints (key
 * order never matters, distinct values hash apart), leaf-level diffs and `show`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Prng } from '../../src/engine/prng.js';
import type { Value } from '../../src/engine/types.js';
import { cloneValue, diffValues, fingerprint, fingerprintInto, show } from '../../src/engine/value.js';

/** JSON with object keys sorted at every level: equal strings <=> equal plain values (up to -0). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The same value rebuilt with every object's keys inserted in reverse order. */
function reverseKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reverseKeys);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).reverse()) out[k] = reverseKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

describe('cloneValue', () => {
  it('returns primitives unchanged', () => {
    for (const p of [0, -3, 1.5, 'abc', '', true, false, null]) expect(cloneValue(p)).toBe(p);
  });

  it('gives an equal but fully independent deep copy', () => {
    const original = { x: 1, list: [1, [2, 3], { y: 'a' }], nested: { deep: { deeper: [true, null] } } };
    const copy = cloneValue(original);
    expect(copy).toStrictEqual(original);
    expect(copy).not.toBe(original);
    expect(copy.list).not.toBe(original.list);
    expect(copy.list[1]).not.toBe(original.list[1]);
    expect(copy.list[2]).not.toBe(original.list[2]);
    expect(copy.nested.deep).not.toBe(original.nested.deep);
    expect(copy.nested.deep.deeper).not.toBe(original.nested.deep.deeper);

    copy.x = 2;
    (copy.list[1] as number[])[0] = 99;
    (copy.list[2] as { y: string }).y = 'changed';
    copy.nested.deep.deeper.push(false);
    expect(original).toStrictEqual({
      x: 1,
      list: [1, [2, 3], { y: 'a' }],
      nested: { deep: { deeper: [true, null] } },
    });
  });

  it('mutating the original does not affect the copy', () => {
    const original = { a: [{ b: 1 }] };
    const copy = cloneValue(original);
    (original.a[0] as { b: number }).b = 7;
    original.a.push({ b: 8 });
    expect(copy).toStrictEqual({ a: [{ b: 1 }] });
  });

  it('keeps an own key named __proto__ as a key (JSON can make one)', () => {
    const v = JSON.parse('{"__proto__": {"x": 1}, "a": 2}');
    const c = cloneValue(v);
    expect(Object.keys(c)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(c)).toBe(Object.prototype);
    expect(c).toStrictEqual(v);
  });

  it('property: clone is deep-equal, has the same fingerprint and shares no object', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const c = cloneValue(v);
        expect(c).toStrictEqual(v);
        expect(fingerprint(c)).toBe(fingerprint(v));
        const seen = new Set<unknown>();
        const collect = (x: unknown) => {
          if (typeof x === 'object' && x !== null) {
            seen.add(x);
            for (const y of Object.values(x)) collect(y);
          }
        };
        collect(v);
        const check = (x: unknown) => {
          if (typeof x === 'object' && x !== null) {
            expect(seen.has(x)).toBe(false);
            for (const y of Object.values(x)) check(y);
          }
        };
        check(c);
      }),
    );
  });
});

describe('fingerprint', () => {
  it('is 16 lowercase hex digits and deterministic', () => {
    const v = { a: [1, 2, 3], b: 'x' };
    expect(fingerprint(v)).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint(v)).toBe(fingerprint({ a: [1, 2, 3], b: 'x' }));
  });

  it('is canonical with respect to object key order', () => {
    const a: Record<string, Value> = {};
    a.x = 1;
    a.y = { p: [1, 2], q: 'z' };
    a.threads = [{ id: 0, pc: 'load' }];
    const b: Record<string, Value> = {};
    b.threads = [{ pc: 'load', id: 0 }];
    b.y = { q: 'z', p: [1, 2] };
    b.x = 1;
    expect(Object.keys(a)).not.toEqual(Object.keys(b));
    expect(fingerprint(a)).toBe(fingerprint(b));
  });

  it('is canonical with integer-like keys inserted in any order', () => {
    const a: Record<string, number> = {};
    const b: Record<string, number> = {};
    for (const k of ['10', '9', 'a', '1', 'B']) a[k] = k.length;
    for (const k of ['B', '1', 'a', '9', '10']) b[k] = k.length;
    expect(fingerprint(a)).toBe(fingerprint(b));
  });

  it('property: reversing key insertion order never changes the fingerprint', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(fingerprint(reverseKeys(v))).toBe(fingerprint(v));
      }),
    );
  });

  it.each<[string, unknown, unknown]>([
    ['number vs numeric string', 0, '0'],
    ['float vs its string', 1.5, '1.5'],
    ['true vs "true"', true, 'true'],
    ['null vs "null"', null, 'null'],
    ['null vs 0', null, 0],
    ['false vs 0', false, 0],
    ['1.5 vs 1.50000001', 1.5, 1.50000001],
    ['int vs nearby float', 1, 1.0000000001],
    ['big ints', 2 ** 40, 2 ** 40 + 1],
    ['negative ints', -1, 1],
    ['array order', [1, 2], [2, 1]],
    ['array length', [1], [1, 1]],
    ['nesting', [[1], 2], [1, [2]]],
    ['empty array vs empty object', [], {}],
    ['array vs object with index keys', [5], { 0: 5 }],
    ['string boundaries', ['ab', 'c'], ['a', 'bc']],
    ['key vs value swap', { a: 'b' }, { b: 'a' }],
    ['nested leaf change', { a: { b: { c: [1, 2, 3] } } }, { a: { b: { c: [1, 2, 4] } } }],
    ['missing key', { a: 1, b: null }, { a: 1 }],
    ['empty string vs null', '', null],
  ])('differs for different values: %s', (_name, x, y) => {
    expect(fingerprint(x)).not.toBe(fingerprint(y));
  });

  it('fingerprintInto writes the same 64 bits as fingerprint', () => {
    const out = new Uint32Array(2);
    const v = { x: [1, 'a', null] };
    fingerprintInto(v, out);
    const hex =
      (out[0] as number).toString(16).padStart(8, '0') + (out[1] as number).toString(16).padStart(8, '0');
    expect(hex).toBe(fingerprint(v));
  });

  it('is not corrupted by a previous failed call (non plain data)', () => {
    const v = { a: 1 };
    const before = fingerprint(v);
    expect(() => fingerprint({ a: () => 1 })).toThrow(TypeError);
    expect(fingerprint(v)).toBe(before);
  });

  it('has no collision over 10k distinct small states', () => {
    const prng = new Prng(12345);
    const pcs = ['load', 'store', 'lock', 'unlock', 'done'];
    const states = new Map<string, string>();
    let attempts = 0;
    while (states.size < 10_000) {
      attempts++;
      expect(attempts).toBeLessThan(200_000);
      const nThreads = 1 + prng.int(3);
      const state = {
        shared: {
          x: prng.int(16),
          lock: prng.int(3) === 0 ? null : prng.int(3),
          arr: Array.from({ length: prng.int(4) }, () => prng.int(5)),
          flag: prng.int(2) === 1,
        },
        threads: Array.from({ length: nThreads }, (_, id) => ({
          id,
          pc: pcs[prng.int(pcs.length)] as string,
          v: prng.int(4),
        })),
      };
      states.set(canonical(state), fingerprint(state));
    }
    const fingerprints = new Set(states.values());
    expect(fingerprints.size).toBe(states.size);
  });

  it('property: values with different canonical forms get different fingerprints', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        fc.pre(canonical(a) !== canonical(b));
        expect(fingerprint(a)).not.toBe(fingerprint(b));
      }),
    );
  });
});

describe('diffValues', () => {
  it('returns no change for equal values', () => {
    expect(diffValues({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
    expect(diffValues(3, 3)).toEqual([]);
  });

  it('reports a changed root leaf with an empty path', () => {
    expect(diffValues(1, 2)).toEqual([{ path: '', from: 1, to: 2 }]);
  });

  it('reports leaf paths with from/to, dotted, arrays indexed by number', () => {
    const a = { x: 0, gpt: [{ pte: 1 }, { pte: 2 }], lock: { owner: null } };
    const b = { x: 1, gpt: [{ pte: 1 }, { pte: 5 }], lock: { owner: 3 } };
    expect(diffValues(a, b)).toEqual([
      { path: 'gpt.1.pte', from: 2, to: 5 },
      { path: 'lock.owner', from: null, to: 3 },
      { path: 'x', from: 0, to: 1 },
    ]);
  });

  it('reports added and removed keys and array growth with undefined ends', () => {
    expect(diffValues({ a: 1 }, { b: 2 })).toEqual([
      { path: 'a', from: 1, to: undefined },
      { path: 'b', from: undefined, to: 2 },
    ]);
    expect(diffValues({ q: [1] }, { q: [1, 2, 3] })).toEqual([
      { path: 'q.1', from: undefined, to: 2 },
      { path: 'q.2', from: undefined, to: 3 },
    ]);
  });

  it('orders numeric keys numerically (2 before 10)', () => {
    const a = Array.from({ length: 12 }, () => 0);
    const b = a.map((_, i) => (i === 2 || i === 10 ? 1 : 0));
    expect(diffValues(a, b).map((c) => c.path)).toEqual(['2', '10']);
  });

  it('treats a type change (array vs object, object vs scalar) as one leaf change', () => {
    expect(diffValues({ a: [1] }, { a: { 0: 1 } })).toEqual([{ path: 'a', from: [1], to: { 0: 1 } }]);
    expect(diffValues({ a: { b: 1 } }, { a: null })).toEqual([{ path: 'a', from: { b: 1 }, to: null }]);
  });

  it('prefixes paths and appends to the given output array', () => {
    const out = [{ path: 'keep', from: 0, to: 1 }];
    const r = diffValues({ v: 1 }, { v: 2 }, '@t0[0]', out);
    expect(r).toBe(out);
    expect(r).toEqual([
      { path: 'keep', from: 0, to: 1 },
      { path: '@t0[0].v', from: 1, to: 2 },
    ]);
  });

  it('property: a single leaf change is reported exactly at its path', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 4 }),
        fc.integer(),
        fc.integer(),
        (path, from, to) => {
          fc.pre(from !== to);
          const build = (leaf: number): unknown =>
            path.reduceRight<unknown>((acc, k) => ({ [k]: acc, other: 0 }), leaf);
          expect(diffValues(build(from), build(to))).toEqual([{ path: path.join('.'), from, to }]);
        },
      ),
    );
  });
});

describe('show', () => {
  it('renders undefined as - and everything else as compact JSON', () => {
    expect(show(undefined)).toBe('-');
    expect(show(null)).toBe('null');
    expect(show(3)).toBe('3');
    expect(show('x')).toBe('"x"');
    expect(show(true)).toBe('true');
    expect(show({ a: [1, 2], b: 'c' })).toBe('{"a":[1,2],"b":"c"}');
  });
});
