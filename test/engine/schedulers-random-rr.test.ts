/**
 * The random and round-robin schedulers (src/engine/schedulers/random.ts, roundRobin.ts), driven
 * directly through the Scheduler interface with synthetic enabled sets.
 */
import { describe, expect, it } from 'vitest';
import { randomScheduler } from '../../src/engine/schedulers/random.js';
import { roundRobinScheduler } from '../../src/engine/schedulers/roundRobin.js';
import { asThreadId } from '../../src/engine/types.js';
import { all3, picks, session, tids } from './support/schedulerDriver.js';

describe('random scheduler', () => {
  it('is deterministic for a seed', () => {
    expect(session(randomScheduler(9), 0)).toEqual(session(randomScheduler(9), 0));
  });

  it('reseeds per run: begin(3) twice gives the same picks', () => {
    const s = randomScheduler(9);
    const a = session(s, 3);
    session(s, 4);
    const b = session(s, 3);
    expect(b).toEqual(a);
  });

  it('gives different runs and different seeds different picks', () => {
    const s = randomScheduler(9);
    expect(session(s, 0)).not.toEqual(session(s, 1));
    expect(session(randomScheduler(9), 0)).not.toEqual(session(randomScheduler(10), 0));
  });

  it('picks only enabled threads, data in range, and eventually every option', () => {
    const s = randomScheduler(1);
    s.begin(0);
    const enabled = tids(1, 4, 6);
    const seen = new Set<number>();
    const data = new Set<number>();
    for (let step = 0; step < 300; step++) {
      const t = s.pickThread(enabled, null, step);
      expect(enabled).toContain(t);
      seen.add(t);
      const d = s.pickData(3, 'x', t);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(3);
      data.add(d);
    }
    expect([...seen].sort()).toEqual([1, 4, 6]);
    expect([...data].sort()).toEqual([0, 1, 2]);
  });
});

describe('round-robin scheduler', () => {
  it('is named rr', () => {
    expect(roundRobinScheduler().name).toBe('rr');
  });

  it('run 0 cycles through the threads in id order, one step each', () => {
    const s = roundRobinScheduler();
    s.begin(0);
    expect(picks(s, tids(0, 2, 5), 7)).toEqual([0, 2, 5, 0, 2, 5, 0]);
  });

  it('the lowest digit of the run (base 2) picks the first thread', () => {
    const s = roundRobinScheduler();
    for (const [run, first] of [
      [0, 0],
      [1, 2],
      [2, 0],
      [3, 2],
      [7, 2],
    ] as const) {
      s.begin(run);
      expect(picks(s, tids(0, 2, 5), 4)[0]).toBe(first);
    }
    s.begin(1);
    expect(picks(s, tids(0, 2, 5), 7)).toEqual([2, 5, 0, 2, 5, 0, 2]);
    s.begin(1);
    expect(picks(s, tids(4), 3)).toEqual([4, 4, 4]);
  });

  it('the next digits (base 4) give the time slices of the successive turns', () => {
    const s = roundRobinScheduler();
    const cases: [number, number[]][] = [
      [2, [0, 0, 2, 5, 0, 2, 5]], // digits 1: first slice 2
      [3, [2, 2, 5, 0, 2, 5, 0]], // first thread 1, first slice 2
      [4, [0, 0, 0, 2, 5, 0, 2]], // digits 2: first slice 3
      [6, [0, 0, 0, 0, 2, 5, 0]], // digits 3: first slice 4
      [8, [0, 2, 2, 5, 0, 2, 5]], // digits 4 = 10 in base 4: slices 1, 2
      [26, [0, 0, 2, 2, 2, 2, 5]], // digits 13 = 31 in base 4: slices 2, 4
    ];
    for (const [run, expected] of cases) {
      s.begin(run);
      expect(picks(s, tids(0, 2, 5), 7)).toEqual(expected);
    }
  });

  it('ends a time slice early when the thread stops being enabled', () => {
    const s = roundRobinScheduler();
    s.begin(6); // first slice 4
    expect(s.pickThread(all3, null, 0)).toBe(0);
    expect(s.pickThread(all3, asThreadId(0), 1)).toBe(0);
    expect(s.pickThread(tids(1, 2), asThreadId(0), 2)).toBe(1);
    expect(s.pickThread(all3, asThreadId(1), 3)).toBe(2);
  });

  it('enumerates distinct schedules for successive runs', () => {
    const s = roundRobinScheduler();
    const schedules = new Set<string>();
    for (let run = 0; run < 32; run++) {
      s.begin(run);
      schedules.add(picks(s, tids(0, 1), 12).join(''));
    }
    expect(schedules.size).toBe(32);
  });

  it('moves to the next enabled thread above the current one, wrapping around', () => {
    const s = roundRobinScheduler();
    s.begin(0);
    expect(s.pickThread(tids(0, 1, 3), asThreadId(1), 5)).toBe(3);
    expect(s.pickThread(tids(0, 1, 3), asThreadId(2), 5)).toBe(3);
    expect(s.pickThread(tids(0, 1, 3), asThreadId(3), 5)).toBe(0);
    expect(s.pickThread(tids(1), asThreadId(1), 5)).toBe(1);
  });

  it('shifts data choices by the run and counts them within the run', () => {
    const s = roundRobinScheduler();
    s.begin(0);
    expect([0, 1, 2, 3].map(() => s.pickData(3, 'x', asThreadId(0)))).toEqual([0, 1, 2, 0]);
    s.begin(2);
    expect([0, 1, 2].map(() => s.pickData(3, 'x', asThreadId(0)))).toEqual([2, 0, 1]);
  });
});
