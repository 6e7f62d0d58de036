/**
 * The tape and replay schedulers (src/engine/schedulers/tape.ts, replay.ts): reading picks from a
 * tape of integers, and following recorded decisions with one-line ReplayDivergence errors.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReplayDivergence, UsageError } from '../../src/engine/errors.js';
import { replayScheduler } from '../../src/engine/schedulers/replay.js';
import { tapeScheduler } from '../../src/engine/schedulers/tape.js';
import { asThreadId, type ThreadId } from '../../src/engine/types.js';
import { all3, tids } from './support/schedulerDriver.js';

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
