/**
 * PCT, probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS'10).
 * Threads get distinct random priorities above d; d-1 change points are drawn in [1, k]; the highest
 * priority enabled thread always runs; at the i-th change point the thread about to run drops to
 * priority i. A bug of depth d is found with probability >= 1/(n k^(d-1)) per run. Threads created
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
  /** Demoted threads: tid -> priority i (1..d-1); higher i runs first among demoted ones. */
  let demoted = new Map<ThreadId, number>();
  let seen = new Set<ThreadId>();
  /** step number -> change point index i (1-based). */
  let changeAt = new Map<number, number>();

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
      changeAt = new Map();
      const points = Math.min(opts.depth - 1, k);
      const chosen = new Set<number>();
      while (chosen.size < points) chosen.add(1 + prng.int(k));
      [...chosen].sort((a, b) => a - b).forEach((step, i) => changeAt.set(step, i + 1));
    },
    pickThread(enabled, _current, step) {
      for (const t of enabled) {
        if (!seen.has(t)) {
          seen.add(t);
          order.splice(prng.int(order.length + 1), 0, t);
        }
      }
      let t = highest(enabled);
      const i = changeAt.get(step + 1);
      if (i !== undefined) {
        order.splice(order.indexOf(t), 1);
        demoted.set(t, i);
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
