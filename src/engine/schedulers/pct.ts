/**
 * PCT, probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS'10).
 * Threads get distinct random priorities; d-1 change points are drawn in [1, k]; the highest priority
 * enabled thread always runs; at a change point the thread about to run drops below every other
 * thread (the variant of Coyote and Shuttle: the paper's priority i at the i-th point, with points
 * kept in time order, would rank a later demotion above an earlier one and never make the second
 * preemption of a depth-3 bug between two threads). A bug of depth d is found with probability >= 1/(n k^(d-1)) per run. Threads created
 * during the run are inserted at a random rank (as Shuttle does). k adapts to the longest run seen.
 */
import { Prng, runSeed } from '../prng.js';
import type { Scheduler } from '../scheduler.js';
import type { ThreadId } from '../types.js';

export interface PctOptions {
  /** Bug depth d >= 1 (d - 1 priority change points). */
  readonly depth: number;
  /** Initial estimate k of the number of steps of a run. */
  readonly stepsEstimate: number;
}

export function pctScheduler(seed: number, opts: PctOptions): Scheduler {
  let prng = new Prng(seed);
  let k = Math.max(1, opts.stepsEstimate);
  /** Undemoted threads, highest priority first. */
  let order: ThreadId[] = [];
  /** Demoted threads: tid -> -(order of demotion); a later demotion ranks lower. */
  let demoted = new Map<ThreadId, number>();
  let demotions = 0;
  let seen = new Set<ThreadId>();
  /** Steps (1-based) at which a change point falls. */
  let changeAt = new Set<number>();

  const rankAbove = (a: ThreadId, b: ThreadId): boolean => {
    const da = demoted.get(a);
    const db = demoted.get(b);
    if (da === undefined && db === undefined) return order.indexOf(a) < order.indexOf(b);
    if (da === undefined) return true;
    if (db === undefined) return false;
    return da > db;
  };
  const highest = (enabled: readonly ThreadId[]): ThreadId => {
    let best = enabled[0] as ThreadId;
    for (const t of enabled) if (rankAbove(t, best)) best = t;
    return best;
  };

  return {
    name: 'pct',
    begin(run) {
      prng = new Prng(runSeed(seed, run));
      order = [];
      demoted = new Map();
      seen = new Set();
      changeAt = new Set();
      demotions = 0;
      const points = Math.min(opts.depth - 1, k);
      while (changeAt.size < points) changeAt.add(1 + prng.int(k));
    },
    pickThread(enabled, _current, step) {
      for (const t of enabled) {
        if (!seen.has(t)) {
          seen.add(t);
          order.splice(prng.int(order.length + 1), 0, t);
        }
      }
      let t = highest(enabled);
      if (changeAt.has(step + 1)) {
        const at = order.indexOf(t);
        if (at >= 0) order.splice(at, 1);
        demoted.set(t, -++demotions);
        t = highest(enabled);
      }
      return t;
    },
    pickData(arity) {
      return prng.int(arity);
    },
    end(steps) {
      k = Math.max(k, steps);
    },
  };
}
