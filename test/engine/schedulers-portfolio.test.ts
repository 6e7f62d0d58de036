/**
 * The portfolio scheduler (src/engine/schedulers/portfolio.ts), which hands runs round to its
 * members, and the scheduler registry (src/engine/schedulers/index.ts).
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/engine/errors.js';
import type { Scheduler } from '../../src/engine/scheduler.js';
import { makeScheduler, schedulerNames } from '../../src/engine/schedulers/index.js';
import { portfolioScheduler } from '../../src/engine/schedulers/portfolio.js';
import { randomScheduler } from '../../src/engine/schedulers/random.js';
import { roundRobinScheduler } from '../../src/engine/schedulers/roundRobin.js';
import { asThreadId, type ThreadId } from '../../src/engine/types.js';
import { all3, session } from './support/schedulerDriver.js';

describe('portfolio scheduler', () => {
  /** A member that records the run numbers it is given and always answers `answer`. */
  const member = (name: string, answer: number) => {
    const runs: number[] = [];
    const ends: number[] = [];
    const s: Scheduler = {
      name,
      begin: (run) => runs.push(run),
      pickThread: (enabled) => enabled[answer % enabled.length] as ThreadId,
      pickData: (arity) => answer % arity,
      end: (steps) => ends.push(steps),
    };
    return { s, runs, ends };
  };

  it('gives run r to member r mod n, with the member run number floor(r / n)', () => {
    const a = member('a', 0);
    const b = member('b', 1);
    const c = member('c', 2);
    const p = portfolioScheduler([a.s, b.s, c.s]);
    const names: string[] = [];
    const picked: number[] = [];
    for (let run = 0; run < 7; run++) {
      p.begin(run);
      names.push(p.name);
      picked.push(p.pickThread(all3, null, 0), p.pickData(5, 'x', asThreadId(0)));
      p.end(run * 10);
    }
    expect(names).toEqual([
      'portfolio:a',
      'portfolio:b',
      'portfolio:c',
      'portfolio:a',
      'portfolio:b',
      'portfolio:c',
      'portfolio:a',
    ]);
    expect(picked).toEqual([0, 0, 1, 1, 2, 2, 0, 0, 1, 1, 2, 2, 0, 0]);
    expect(a.runs).toEqual([0, 1, 2]);
    expect(b.runs).toEqual([0, 1]);
    expect(c.runs).toEqual([0, 1]);
    expect(a.ends).toEqual([0, 30, 60]);
    expect(b.ends).toEqual([10, 40]);
  });

  it('rejects an empty portfolio', () => {
    expect(() => portfolioScheduler([])).toThrow('portfolio: no member scheduler');
  });

  it('behaves like its member on that member’s runs', () => {
    const p = portfolioScheduler([randomScheduler(4), roundRobinScheduler()]);
    expect(session(p, 4)).toEqual(session(randomScheduler(4), 2));
    expect(session(p, 5)).toEqual(session(roundRobinScheduler(), 2));
  });
});

describe('scheduler registry', () => {
  it('builds every named scheduler', () => {
    for (const name of schedulerNames) {
      const s = makeScheduler(name, { seed: 1, pctDepth: 2, stepsEstimate: 10 });
      s.begin(0);
      expect(s.name.startsWith(name)).toBe(true);
      expect(all3).toContain(s.pickThread(all3, null, 0));
    }
  });

  it('rejects an unknown name with a UsageError listing the names', () => {
    expect(() => makeScheduler('nope', { seed: 1, pctDepth: 2, stepsEstimate: 10 })).toThrow(UsageError);
    expect(() => makeScheduler('nope', { seed: 1, pctDepth: 2, stepsEstimate: 10 })).toThrow(
      "unknown scheduler 'nope' (expected one of: random, rr, pct, portfolio)",
    );
  });
});
