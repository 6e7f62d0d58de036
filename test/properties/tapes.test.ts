/**
 * fast-check drives schedules through choice tapes and shrinks them: a found bug comes back as the
 * shortest tape that still triggers it, and the tape replays deterministically.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { noViolationUnderTapes, runTape } from '../../properties/schedules.js';
import { Instance } from '../../src/engine/instance.js';
import { findModel } from '../../src/models/index.js';

const inst = (name: string, config: Record<string, number | boolean> = {}) => {
  const m = findModel(name);
  return new Instance(m, { ...m.defaultConfig, ...config });
};

function counterexample(name: string, config: Record<string, number | boolean> = {}) {
  const r = fc.check(noViolationUnderTapes(inst(name, config)), { seed: 42, numRuns: 2000 });
  expect(r.failed).toBe(true);
  return (r.counterexample as [number[]])[0];
}

describe('choice tapes', () => {
  it('shrink the lost update to the two picks that matter', () => {
    // Tape [0, 1]: T0 loads, T1 loads; the fallback then runs T1's store and T0's store ([1, 0] is
    // the mirror image). Any shorter tape runs one thread to completion first.
    const tape = counterexample('lost-update');
    expect([...tape].sort()).toEqual([0, 1]);
    expect(runTape(inst('lost-update'), tape).violation?.name).toBe('noLostUpdate');
  });

  it('shrink peterson-broken to a short tape', () => {
    // The shortest is 6 picks (T0 setTurn, T1 through enterCs, back to T0); fast-check's array
    // shrinker gets within a couple of picks of it.
    const tape = counterexample('peterson-broken');
    expect(tape.length).toBeGreaterThanOrEqual(6);
    expect(tape.length).toBeLessThanOrEqual(8);
    const e = runTape(inst('peterson-broken'), tape);
    expect(e.violation?.name).toBe('mutualExclusion');
    expect(runTape(inst('peterson-broken'), tape).decisions).toEqual(e.decisions);
  });

  it('find the lock-inversion deadlock', () => {
    const tape = counterexample('lock-inversion');
    expect(runTape(inst('lock-inversion'), tape).violation?.name).toBe('deadlock');
  });

  it('find nothing on correct models', () => {
    for (const name of ['mutex-counter', 'peterson', 'lock-inversion']) {
      const config: Record<string, boolean> = name === 'lock-inversion' ? { ordered: true } : {};
      const r = fc.check(noViolationUnderTapes(inst(name, config)), { seed: 42, numRuns: 300 });
      expect(r.failed).toBe(false);
    }
  });

  it('an empty tape runs each thread to completion in id order', () => {
    const e = runTape(inst('lost-update', { threads: 3 }), []);
    expect(e.violation).toBeNull();
    expect(e.decisions.filter((d) => d % 2 === 0).map((d) => d / 2)).toEqual([0, 0, 1, 1, 2, 2]);
  });
});
