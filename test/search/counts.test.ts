/**
 * Exact state and interleaving counts on configurations small enough to enumerate by hand: each count
 * below is derived here, not a golden number recorded from a run (golden counts of the ALMOS tests are
 * marked as change detectors and paired with an independent check).
 *
 * lost-update, 2 threads, 1 increment (invariants dropped so the search does not stop at the bug).
 * A thread is at `load` (v unset), at `store` (v = the x it loaded) or done (frame popped).
 *   x=0: (load,load) 1; (store,load) and (load,store) 2; (store,store) 1
 *   x=1: (done,load) (load,done) 2; (done,store) with v=0 or v=1, and symmetric, 4;
 *   done: x=1 (lost) or x=2, 2.                                        total 1+2+1+2+4+2 = 12
 * Interleavings: 4!/(2!2!) = 6; the loads read and the stores write x, so every thread's future
 * conflicts with the other's next step and POR keeps all 6.
 *
 * mutex-counter, 2 threads, 1 increment, no local work: once a thread takes the lock the other is
 * disabled until the unlock, so a run is "T0's 4 steps then T1's" or the reverse: 2 interleavings;
 * states: init + 2 x 8 steps, the final state shared = 16.
 *
 * mutex-counter, 2 threads, 1 increment, 1 private `work` step (pc: w, L, ld, st, U, done):
 *   nobody holds the lock: {w,L} x {w,L} = 4;  T0 holds it (ld, st, U) with T1 in {w,L}: 6;
 *   T1 holds it: 6;  T0 done, T1 in {w,L}: 2, T1 in ld/st/U: 3;  symmetric: 2 + 3;  both done: 1
 *                                                                 total 4+6+6+2+3+2+3+1 = 27
 *   Interleavings: if T0 locks first, T1's work step goes before its lock, in any of the 6 gaps of
 *   T0's 5 steps: 6, and 6 symmetric = 12. With POR the work steps are local and invisible, so each
 *   is a persistent set alone: the runs differ only in who locks first: 2 runs, and states
 *   s0, s0+w0, s0+w0+w1, then two critical-section pairs of 8 states sharing the end: 3+8+8-1 = 18.
 */
import { describe, expect, it } from 'vitest';
import { Instance } from '../../src/engine/instance.js';
import { countExecutions } from '../../src/engine/search/enumerate.js';
import { defaultSearchOptions, search } from '../../src/engine/search/index.js';
import type { AnyModel, Config } from '../../src/engine/types.js';
import { findModel } from '../../src/models/index.js';

const withoutInvariants = (m: AnyModel): AnyModel => ({ ...m, invariants: () => [] });
const inst = (m: AnyModel, config: Config) => new Instance(m, { ...m.defaultConfig, ...config });

function allStrategies(i: Instance) {
  return {
    bfs: search(i, { ...defaultSearchOptions, strategy: 'bfs' }),
    dfs: search(i, { ...defaultSearchOptions, strategy: 'dfs' }),
    por: search(i, { ...defaultSearchOptions, strategy: 'dfs', por: true }),
  };
}

describe('exact counts', () => {
  it('lost-update 2x1: 12 states, 6 interleavings with and without POR', () => {
    const i = inst(withoutInvariants(findModel('lost-update')), { threads: 2, increments: 1 });
    const r = allStrategies(i);
    expect([r.bfs.states, r.dfs.states, r.por.states]).toEqual([12, 12, 12]);
    expect(r.bfs.verdict).toBe('pass');
    expect(r.bfs.maxDepth).toBe(4);
    expect(countExecutions(i, { por: false, maxDepth: 100 })).toEqual({ complete: 6, deadlocked: 0, cut: 0 });
    expect(countExecutions(i, { por: true, maxDepth: 100 })).toEqual({ complete: 6, deadlocked: 0, cut: 0 });
  });

  it('lost-update 3x1: 6!/(2!2!2!) = 90 interleavings', () => {
    const i = inst(withoutInvariants(findModel('lost-update')), { threads: 3, increments: 1 });
    expect(countExecutions(i, { por: false, maxDepth: 100 }).complete).toBe(90);
  });

  it('mutex-counter 2x1: 16 states, 2 interleavings', () => {
    const i = inst(findModel('mutex-counter'), { threads: 2, increments: 1 });
    const r = allStrategies(i);
    expect([r.bfs.states, r.dfs.states, r.por.states]).toEqual([16, 16, 16]);
    expect(r.bfs.transitions).toBe(16);
    expect(countExecutions(i, { por: false, maxDepth: 100 }).complete).toBe(2);
  });

  it('mutex-counter 2x1 with 1 work step: 27 states, 12 interleavings; POR: 18 states, 2 runs', () => {
    const i = inst(findModel('mutex-counter'), { threads: 2, increments: 1, work: 1 });
    const r = allStrategies(i);
    expect([r.bfs.states, r.dfs.states, r.por.states]).toEqual([27, 27, 18]);
    expect(countExecutions(i, { por: false, maxDepth: 100 }).complete).toBe(12);
    expect(countExecutions(i, { por: true, maxDepth: 100 }).complete).toBe(2);
  });

  it('POR shrinks larger spaces by an order of magnitude without changing the verdict', () => {
    const i = inst(findModel('mutex-counter'), { threads: 3, increments: 2, work: 3 });
    const r = allStrategies(i);
    expect(r.dfs.states).toBe(r.bfs.states);
    expect(r.por.states * 5).toBeLessThan(r.dfs.states);
    expect([r.bfs.verdict, r.dfs.verdict, r.por.verdict]).toEqual(['pass', 'pass', 'pass']);
  });

  it('lock-inversion: 2 of the 6 orders of the two first lock steps deadlock', () => {
    // T0: lock a, lock b, unlock b, unlock a; T1 with a and b swapped. Deadlock iff both first
    // locks happen before either second lock: T0a T1b or T1b T0a = 2 deadlocked runs.
    const i = inst(findModel('lock-inversion'), { ordered: false });
    const c = countExecutions(i, { por: false, maxDepth: 100 });
    expect(c.deadlocked).toBe(2);
    expect(c.cut).toBe(0);
  });
});
