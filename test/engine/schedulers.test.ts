/**
 * Schedulers (src/engine/schedulers/): random, round-robin, tape, replay, PCT and portfolio, driven
 * directly through the Scheduler interface with synthetic enabled sets.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReplayDivergence, UsageError } from '../../src/engine/errors.js';
import type { Scheduler } from '../../src/engine/scheduler.js';
import { makeScheduler, schedulerNames } from '../../src/engine/schedulers/index.js';
import { pctScheduler } from '../../src/engine/schedulers/pct.js';
import { portfolioScheduler } from '../../src/engine/schedulers/portfolio.js';
import { randomScheduler } from '../../src/engine/schedulers/random.js';
import { replayScheduler } from '../../src/engine/schedulers/replay.js';
import { roundRobinScheduler } from '../../src/engine/schedulers/roundRobin.js';
import { tapeScheduler } from '../../src/engine/schedulers/tape.js';
import { asThreadId, type ThreadId } from '../../src/engine/types.js';

const tids = (...ns: number[]): ThreadId[] => ns.map(asThreadId);
const all3 = tids(0, 1, 2);

/** `steps` thread picks with a fixed enabled set, feeding back the current thread. */
function picks(s: Scheduler, enabled: readonly ThreadId[], steps: number): number[] {
  const out: number[] = [];
  let current: ThreadId | null = null;
  for (let step = 0; step < steps; step++) {
    current = s.pickThread(enabled, current, step);
    out.push(current);
  }
  return out;
}

/** A mixed sequence of thread picks and data choices for one run. */
function session(s: Scheduler, run: number): number[] {
  s.begin(run);
  const out: number[] = [];
  let current: ThreadId | null = null;
  for (let step = 0; step < 30; step++) {
    current = s.pickThread(all3, current, step);
    out.push(current, s.pickData(5, 'what', current));
  }
  s.end(30);
  return out;
}

const switches = (xs: readonly number[]): number => xs.filter((x, i) => i > 0 && x !== xs[i - 1]).length;

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

describe('tape scheduler', () => {
  it('reads thread picks and data choices from the tape, modulo the options', () => {
    const s = tapeScheduler([5, 7, 1, 4]);
    s.begin(0);
    expect(s.pickThread(all3, null, 0)).toBe(2); // 5 mod 3
    expect(s.pickData(3, 'x', asThreadId(2))).toBe(1); // 7 mod 3
    expect(s.pickThread(tids(3, 8), asThreadId(2), 1)).toBe(8); // 1 mod 2
    expect(s.pickData(4, 'x', asThreadId(8))).toBe(0); // 4 mod 4
  });

  it('maps negative values into range', () => {
    const s = tapeScheduler([-1, -4, -7]);
    s.begin(0);
    expect(s.pickThread(all3, null, 0)).toBe(2);
    expect(s.pickThread(all3, null, 1)).toBe(2);
    expect(s.pickData(5, 'x', asThreadId(0))).toBe(3);
  });

  it('falls back, once exhausted, to the current thread while it is enabled, else the lowest id', () => {
    const s = tapeScheduler([1]);
    s.begin(0);
    expect(s.pickThread(all3, null, 0)).toBe(1);
    expect(s.pickThread(all3, asThreadId(1), 1)).toBe(1);
    expect(s.pickThread(tids(0, 2), asThreadId(1), 2)).toBe(0);
    expect(s.pickThread(tids(2, 4), asThreadId(1), 3)).toBe(2);
    expect(s.pickThread(tids(2, 4), asThreadId(4), 4)).toBe(4);
  });

  it('starts with the lowest id on an empty tape and data falls back to 0', () => {
    const s = tapeScheduler([]);
    s.begin(0);
    expect(s.pickThread(tids(1, 2), null, 0)).toBe(1);
    expect(s.pickData(9, 'x', asThreadId(1))).toBe(0);
  });

  it('rereads the tape from the start on begin()', () => {
    const s = tapeScheduler([2, 1]);
    s.begin(0);
    const a = [s.pickThread(all3, null, 0), s.pickThread(all3, null, 1)];
    s.begin(1);
    const b = [s.pickThread(all3, null, 0), s.pickThread(all3, null, 1)];
    expect(a).toEqual([2, 1]);
    expect(b).toEqual(a);
  });

  it('property: always picks an enabled thread and an in-range choice', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer()),
        fc.uniqueArray(fc.nat(20), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 10 }),
        (tape, ids, arity) => {
          const enabled = tids(...ids.sort((a, b) => a - b));
          const s = tapeScheduler(tape);
          s.begin(0);
          let current: ThreadId | null = null;
          for (let step = 0; step < tape.length + 3; step++) {
            current = s.pickThread(enabled, current, step);
            expect(enabled).toContain(current);
            const d = s.pickData(arity, 'x', current);
            expect(d).toBeGreaterThanOrEqual(0);
            expect(d).toBeLessThan(arity);
          }
        },
      ),
    );
  });
});

describe('replay scheduler', () => {
  const divergence = (f: () => unknown, message: RegExp): void => {
    let error: unknown = null;
    try {
      f();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ReplayDivergence);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  };

  it('follows the recorded decisions (2*tid thread picks, 2*v+1 data choices)', () => {
    const s = replayScheduler([2, 5, 0, 4, 1]);
    s.begin(0);
    expect(s.pickThread(all3, null, 0)).toBe(1);
    expect(s.pickData(3, 'x', asThreadId(1))).toBe(2);
    expect(s.pickThread(all3, asThreadId(1), 1)).toBe(0);
    expect(s.pickThread(all3, asThreadId(0), 2)).toBe(2);
    expect(s.pickData(2, 'y', asThreadId(2))).toBe(0);
    expect(() => s.end(3)).not.toThrow();
  });

  it('restarts from the first decision on begin()', () => {
    const s = replayScheduler([4]);
    s.begin(0);
    expect(s.pickThread(all3, null, 0)).toBe(2);
    s.end(1);
    s.begin(1);
    expect(s.pickThread(all3, null, 0)).toBe(2);
  });

  it('diverges when the recorded thread is not enabled', () => {
    const s = replayScheduler([0, 2]);
    s.begin(0);
    s.pickThread(all3, null, 0);
    divergence(
      () => s.pickThread(tids(0, 2), asThreadId(0), 1),
      /^replay diverged at step 2: thread 1 is not enabled \(enabled: 0,2\)$/,
    );
  });

  it('diverges on a data choice where a thread pick is wanted', () => {
    const s = replayScheduler([1]);
    s.begin(0);
    divergence(
      () => s.pickThread(all3, null, 0),
      /^replay diverged at step 1: recorded a data choice, a thread pick wanted$/,
    );
  });

  it('diverges on a thread pick where a data choice is wanted', () => {
    const s = replayScheduler([0, 2]);
    s.begin(0);
    s.pickThread(all3, null, 0);
    divergence(
      () => s.pickData(2, 'allocFails', asThreadId(0)),
      /^replay diverged at step 1: recorded a thread pick, a data choice \(allocFails\) wanted$/,
    );
  });

  it('diverges on an out-of-range data choice', () => {
    const s = replayScheduler([0, 7]);
    s.begin(0);
    s.pickThread(all3, null, 0);
    divergence(
      () => s.pickData(3, 'cluster', asThreadId(0)),
      /^replay diverged at step 1: choice 3 out of range for cluster \(3 options\)$/,
    );
  });

  it('diverges when the recording ends early (thread pick or data choice)', () => {
    const s = replayScheduler([0]);
    s.begin(0);
    s.pickThread(all3, null, 0);
    divergence(
      () => s.pickThread(all3, asThreadId(0), 1),
      /^replay diverged at step 2: recording ended, a thread pick wanted$/,
    );
    const d = replayScheduler([0]);
    d.begin(0);
    d.pickThread(all3, null, 0);
    divergence(
      () => d.pickData(2, 'x', asThreadId(0)),
      /^replay diverged at step 1: recording ended, a data choice \(x\) wanted$/,
    );
  });

  it('diverges at end() when recorded decisions are left over', () => {
    const s = replayScheduler([0, 2, 3, 0]);
    s.begin(0);
    s.pickThread(all3, null, 0);
    divergence(() => s.end(1), /^replay diverged at step 1: execution ended with 3 recorded decisions left$/);
  });
});

describe('pct scheduler', () => {
  it('is deterministic per seed and per run (k unchanged)', () => {
    // stepsEstimate above the 30 steps of a session, so end() keeps k and runs stay comparable.
    const opts = { depth: 3, stepsEstimate: 40 };
    expect(session(pctScheduler(5, opts), 0)).toEqual(session(pctScheduler(5, opts), 0));
    const s = pctScheduler(5, opts);
    const a = session(s, 2);
    session(s, 3);
    expect(session(s, 2)).toEqual(a);
  });

  it('varies with the seed and the run', () => {
    const opts = { depth: 2, stepsEstimate: 20 };
    const bySeed = new Set(
      Array.from({ length: 30 }, (_, seed) => JSON.stringify(session(pctScheduler(seed, opts), 0))),
    );
    expect(bySeed.size).toBeGreaterThan(1);
    const s = pctScheduler(1, opts);
    const byRun = new Set(Array.from({ length: 30 }, (_, run) => JSON.stringify(session(s, run))));
    expect(byRun.size).toBeGreaterThan(1);
  });

  it('with depth 1 never preempts: the first picked thread keeps running while enabled', () => {
    const firsts = new Set<number>();
    for (let seed = 0; seed < 50; seed++) {
      const s = pctScheduler(seed, { depth: 1, stepsEstimate: 10 });
      s.begin(0);
      const seq = picks(s, all3, 40);
      expect(new Set(seq).size).toBe(1);
      firsts.add(seq[0] as number);
      // When the top thread is disabled the next one runs, and the top one resumes when enabled again.
      const top = seq[0] as ThreadId;
      const rest = all3.filter((t) => t !== top);
      const second = s.pickThread(rest, top, 40);
      expect(s.pickThread(rest, second, 41)).toBe(second);
      expect(s.pickThread(all3, second, 42)).toBe(top);
    }
    expect(firsts.size).toBe(3);
  });

  it('with depth 2 makes exactly one demotion, at a step within [1, k]', () => {
    const k = 8;
    const positions = new Set<number>();
    for (let seed = 0; seed < 200; seed++) {
      const s = pctScheduler(seed, { depth: 2, stepsEstimate: k });
      s.begin(0);
      const seq = picks(s, tids(0, 1), 3 * k);
      expect(switches(seq)).toBeLessThanOrEqual(1);
      const at = seq.findIndex((t, i) => i > 0 && t !== seq[i - 1]);
      // A change point at step c (1-based) makes pick number c run the other thread; c = 1 is invisible.
      if (at >= 0) {
        expect(at + 1).toBeGreaterThanOrEqual(2);
        expect(at + 1).toBeLessThanOrEqual(k);
      }
      positions.add(at < 0 ? 1 : at + 1);
    }
    expect([...positions].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('with depth 2 and k = 1 demotes the first thread at step 1', () => {
    for (let seed = 0; seed < 20; seed++) {
      const p1 = pctScheduler(seed, { depth: 1, stepsEstimate: 1 });
      const p2 = pctScheduler(seed, { depth: 2, stepsEstimate: 1 });
      p1.begin(0);
      p2.begin(0);
      // Same seed, same draws for the initial ranks (no change point draws can differ: only [1,1]).
      const undemoted = picks(p1, tids(0, 1), 5);
      const demoted = picks(p2, tids(0, 1), 5);
      expect(new Set(undemoted).size).toBe(1);
      expect(new Set(demoted).size).toBe(1);
      expect(demoted[0]).not.toBe(undemoted[0]);
    }
  });

  it('gives threads that appear later a rank (sometimes above, sometimes below)', () => {
    let above = 0;
    let below = 0;
    for (let seed = 0; seed < 100; seed++) {
      const s = pctScheduler(seed, { depth: 1, stepsEstimate: 10 });
      s.begin(0);
      expect(s.pickThread(tids(0), null, 0)).toBe(0);
      const t = s.pickThread(tids(0, 1), asThreadId(0), 1);
      if (t === 1) above++;
      else below++;
      // The rank is stable once given.
      expect(picks(s, tids(0, 1), 5)).toEqual([t, t, t, t, t]);
    }
    expect(above).toBeGreaterThan(10);
    expect(below).toBeGreaterThan(10);
  });

  it('adapts k to the longest run seen through end()', () => {
    const visibleSwitchIn = (s: Scheduler, runs: number[]): number[] =>
      runs.map((run) => {
        s.begin(run);
        const seq = picks(s, tids(0, 1), 60);
        s.end(1);
        return seq.findIndex((t, i) => i > 0 && t !== seq[i - 1]) + 1;
      });
    const runs = Array.from({ length: 40 }, (_, i) => i);
    const s = pctScheduler(77, { depth: 2, stepsEstimate: 1 });
    // k = 1: the change point is always step 1, no visible switch.
    expect(visibleSwitchIn(s, runs).every((p) => p === 0)).toBe(true);
    s.end(50);
    const after = visibleSwitchIn(s, runs);
    expect(after.some((p) => p > 1)).toBe(true);
    expect(after.every((p) => p === 0 || (p >= 2 && p <= 50))).toBe(true);
    // A shorter run does not shrink k back.
    s.end(2);
    expect(visibleSwitchIn(s, runs)).toEqual(after);
  });

  it('picks data choices in range', () => {
    const s = pctScheduler(3, { depth: 2, stepsEstimate: 5 });
    s.begin(0);
    for (let i = 0; i < 100; i++) {
      const d = s.pickData(4, 'x', asThreadId(0));
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(4);
    }
  });

  it('a change point demotes the running thread below every other, later demotions lower', () => {
    // Two threads always enabled, depth 3, k = 3: two change points among steps 1..3.
    const bySwitches = new Map<number, number>();
    for (let seed = 0; seed < 100; seed++) {
      const s = pctScheduler(seed, { depth: 3, stepsEstimate: 3 });
      s.begin(0);
      const seq = picks(s, tids(0, 1), 10);
      const n = switches(seq);
      bySwitches.set(n, (bySwitches.get(n) ?? 0) + 1);
      // After the last change point (step 3 at the latest) the schedule no longer changes.
      expect(new Set(seq.slice(2)).size).toBe(1);
    }
    // Points {2,3}: A runs, A demoted so B runs, B demoted below A so A runs again: two switches.
    // (Were the second demotion ranked above the first, B would keep running.)
    expect(bySwitches.get(2) ?? 0).toBeGreaterThan(10);
    expect([...bySwitches.keys()].every((n) => n <= 2)).toBe(true);
  });

  // Regression: with `order.splice(order.indexOf(t), 1)` a change point falling on an already demoted
  // thread removed an unrelated thread from the ranking (indexOf = -1), which then outranked all.
  it('a change point on an already demoted thread leaves the other ranks alone', () => {
    let triggered = 0;
    for (let seed = 0; seed < 20; seed++) {
      for (const candidate of all3) {
        // depth 3, k = 2: change points at steps 1 and 2.
        const s = pctScheduler(seed, { depth: 3, stepsEstimate: 2 });
        s.begin(0);
        // Step 1: the top thread H is demoted; the next one, M, runs.
        const m = s.pickThread(all3, null, 0);
        if (candidate === m) continue;
        // Step 2: only `candidate` is enabled and is demoted (again, when it is H).
        const a = s.pickThread(tids(candidate), m, 1);
        expect(a).toBe(candidate);
        const other = all3.find((t) => t !== m && t !== candidate) as ThreadId;
        // M outranks `other`: `other` is either L (undemoted, ranked below M) or H (demoted).
        const enabled = tids(...[m, other].sort((x, y) => x - y));
        expect(s.pickThread(enabled, a, 2)).toBe(m);
        triggered++;
      }
    }
    expect(triggered).toBe(40);
  });
});

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
