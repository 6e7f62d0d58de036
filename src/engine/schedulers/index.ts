/** Scheduler registry: names accepted by `--scheduler` and how to build each from a seed. */
import { UsageError } from '../errors.js';
import type { Scheduler } from '../scheduler.js';
import { pctScheduler } from './pct.js';
import { portfolioScheduler } from './portfolio.js';
import { randomScheduler } from './random.js';
import { roundRobinScheduler } from './roundRobin.js';

export interface SchedulerOptions {
  readonly seed: number;
  readonly pctDepth: number;
  readonly stepsEstimate: number;
}

export const schedulerNames = ['random', 'rr', 'pct', 'portfolio'] as const;
export type SchedulerName = (typeof schedulerNames)[number];

export function makeScheduler(name: string, o: SchedulerOptions): Scheduler {
  switch (name) {
    case 'random':
      return randomScheduler(o.seed);
    case 'rr':
      return roundRobinScheduler();
    case 'pct':
      return pctScheduler(o.seed, { depth: o.pctDepth, stepsEstimate: o.stepsEstimate });
    case 'portfolio':
      return portfolioScheduler([
        randomScheduler(o.seed),
        pctScheduler(o.seed, { depth: o.pctDepth, stepsEstimate: o.stepsEstimate }),
        pctScheduler(o.seed ^ 0x5bd1, { depth: o.pctDepth + 1, stepsEstimate: o.stepsEstimate }),
        roundRobinScheduler(),
      ]);
    default:
      throw new UsageError(`unknown scheduler '${name}' (expected one of: ${schedulerNames.join(', ')})`);
  }
}
