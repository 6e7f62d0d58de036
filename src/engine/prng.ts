/**
 * The one seeded PRNG of mmcheck: pure-rand's xoroshiro128+ (fast-check's own family). Always passed
 * explicitly; the unseeded global random source is banned from engine and model code.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';

export class Prng {
  private readonly rng: JumpableRandomGenerator;
  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed | 0);
  }
  /** Uniform integer in [0, n). Precondition: n >= 1. */
  int(n: number): number {
    return n <= 1 ? 0 : uniformInt(this.rng, 0, n - 1);
  }
}

/** Seed of run `run` of a campaign started with `seed`: runs are independent and individually replayable. */
export function runSeed(seed: number, run: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(run + 1, 0xc2b2ae35);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h | 0;
}
