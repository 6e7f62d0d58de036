/**
 * Copy-on-write successors: copies exactly the objects on written paths, shares the rest, never
 * changes the parent; and search with it finds the same states and verdicts as full copies.
 */
import { describe, expect, it } from 'vitest';
import { Instance } from '../../src/engine/instance.js';
import { copyForWrites } from '../../src/engine/search/copyOnWrite.js';
import { defaultSearchOptions, search } from '../../src/engine/search/index.js';
import { fingerprint } from '../../src/engine/value.js';
import { findModel } from '../../src/models/index.js';

const w = (obj: string) => ({ obj, write: true });
const r = (obj: string) => ({ obj, write: false });

describe('copyForWrites', () => {
  const root = () => ({ a: { b: { c: [1, 2] }, d: { e: 1 } }, f: [{ g: 1 }, { g: 2 }], h: 3 });

  it('copies the written paths and shares everything else', () => {
    const s = root();
    const c = copyForWrites(s, [w('a.b'), r('f.0')]);
    expect(c).toEqual(s);
    expect(c).not.toBe(s);
    expect(c.a).not.toBe(s.a);
    expect(c.a.b).not.toBe(s.a.b);
    expect(c.a.b.c).not.toBe(s.a.b.c);
    expect(c.a.d).toBe(s.a.d);
    expect(c.f).toBe(s.f);
  });

  it('lets the step mutate below a written path without touching the parent state', () => {
    const s = root();
    const before = fingerprint(s);
    const c = copyForWrites(s, [w('a.b.c'), w('f.1'), w('a.b')]);
    c.a.b.c.push(3);
    (c.f[1] as { g: number }).g = 9;
    c.h = 4;
    expect(fingerprint(s)).toBe(before);
    expect(c.f[0]).toBe(s.f[0]);
  });

  it('copies a path whose last object is absent or a primitive up to its parent', () => {
    const s = root();
    const c = copyForWrites(s, [w('a.x'), w('a.d.e')]);
    (c.a as Record<string, unknown>).x = 1;
    c.a.d.e = 5;
    expect(s.a).not.toHaveProperty('x');
    expect(s.a.d.e).toBe(1);
  });

  it('copies everything for an unknown footprint or a write of the root', () => {
    const s = root();
    for (const c of [copyForWrites(s, null), copyForWrites(s, [w('')])]) {
      expect(c.a.d).not.toBe(s.a.d);
      expect(c.f[0]).not.toBe(s.f[0]);
    }
    expect(copyForWrites(s, [w('@t1'), r('a')]).a).toBe(s.a);
  });
});

describe('search with copy-on-write successors', () => {
  const cases: Array<[string, Record<string, number | boolean | string>]> = [
    ['mutex-counter', { threads: 3, increments: 1, work: 1 }],
    ['peterson', { rounds: 2 }],
    ['lock-inversion', { ordered: true }],
    ['almos', { scenario: 'shared-fault' }],
    ['almos', { scenario: 'shared-fault', generation: 'G2' }],
  ];
  it.each(cases)('%s %j: same states, transitions and verdict as full copies', (name, config) => {
    const m = findModel(name);
    const inst = new Instance(m, { ...m.defaultConfig, ...config });
    for (const strategy of ['bfs', 'dfs'] as const) {
      const cow = search(inst, { ...defaultSearchOptions, strategy });
      const full = search(inst, { ...defaultSearchOptions, strategy, copyOnWrite: false });
      expect([cow.states, cow.transitions, cow.verdict]).toEqual([
        full.states,
        full.transitions,
        full.verdict,
      ]);
    }
  });
});
