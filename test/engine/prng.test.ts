/**
 * The seeded PRNG (src/engine/prng.ts): reproducible sequences, range and rough uniformity of
 * `int(n)`, and distinct per-run seeds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Prng, runSeed } from '../../src/engine/prng.js';

const draw = (seed: number, n: number, count: number): number[] => {
  const p = new Prng(seed);
  return Array.from({ length: count }, () => p.int(n));
};

describe('Prng', () => {
  it('gives the same sequence for the same seed', () => {
    expect(draw(42, 1000, 200)).toEqual(draw(42, 1000, 200));
  });

  it('property: any seed reproduces its sequence', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 1_000_000 }), (seed, n) => {
        expect(draw(seed, n, 20)).toEqual(draw(seed, n, 20));
      }),
    );
  });

  it('gives different sequences for different seeds', () => {
    const a = draw(1, 1_000_000, 20);
    const b = draw(2, 1_000_000, 20);
    expect(a).not.toEqual(b);
    const firstValues = new Set(Array.from({ length: 100 }, (_, s) => draw(s, 1 << 30, 1)[0]));
    expect(firstValues.size).toBeGreaterThan(95);
  });

  it('advances: successive draws are not all equal', () => {
    expect(new Set(draw(7, 1000, 50)).size).toBeGreaterThan(40);
  });

  it('int(1) is always 0', () => {
    expect(draw(3, 1, 50)).toEqual(Array.from({ length: 50 }, () => 0));
  });

  it('property: int(n) is an integer in [0, n)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed, n) => {
        const p = new Prng(seed);
        for (let i = 0; i < 20; i++) {
          const v = p.int(n);
          expect(Number.isInteger(v)).toBe(true);
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThan(n);
        }
      }),
    );
  });

  it('hits both ends of the range', () => {
    const values = new Set(draw(11, 5, 500));
    expect([...values].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it.each([2, 3, 10, 17])('int(%i) is roughly uniform (chi-square)', (n) => {
    const draws = 20_000 * n;
    const counts = new Array<number>(n).fill(0);
    const p = new Prng(2024 + n);
    for (let i = 0; i < draws; i++) counts[p.int(n)]! += 1;
    const expected = draws / n;
    const chi2 = counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
    // n-1 degrees of freedom; the p=1e-4 critical value is below 4n + 12 for these n.
    expect(chi2).toBeLessThan(4 * n + 12);
  });
});

describe('runSeed', () => {
  it('is deterministic and an int32', () => {
    for (const seed of [0, 1, -1, 123456789, -2147483648, 2147483647]) {
      for (let run = 0; run < 50; run++) {
        const s = runSeed(seed, run);
        expect(s).toBe(runSeed(seed, run));
        expect(s | 0).toBe(s);
      }
    }
  });

  it('is distinct for runs 0..999 of a campaign', () => {
    for (const seed of [0, 1, 42, -7, 0x7fffffff]) {
      const seeds = new Set(Array.from({ length: 1000 }, (_, run) => runSeed(seed, run)));
      expect(seeds.size).toBe(1000);
    }
  });

  it('differs between campaign seeds for the same run', () => {
    const seeds = new Set(Array.from({ length: 1000 }, (_, seed) => runSeed(seed, 0)));
    expect(seeds.size).toBe(1000);
  });

  it('gives runs with different random sequences', () => {
    const first = new Set(Array.from({ length: 200 }, (_, run) => draw(runSeed(5, run), 1 << 30, 1)[0]));
    expect(first.size).toBeGreaterThan(195);
  });
});
