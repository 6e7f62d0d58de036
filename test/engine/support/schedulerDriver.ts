/**
 * Test support for the scheduler tests: thread-id lists and drivers that call a Scheduler directly
 * with synthetic enabled sets (a run of thread picks, or a mixed session of picks and data choices).
 */
import type { Scheduler } from '../../../src/engine/scheduler.js';
import { asThreadId, type ThreadId } from '../../../src/engine/types.js';

export const tids = (...ns: number[]): ThreadId[] => ns.map(asThreadId);
export const all3 = tids(0, 1, 2);

/** `steps` thread picks with a fixed enabled set, feeding back the current thread. */
export function picks(s: Scheduler, enabled: readonly ThreadId[], steps: number): number[] {
  const out: number[] = [];
  let current: ThreadId | null = null;
  for (let step = 0; step < steps; step++) {
    current = s.pickThread(enabled, current, step);
    out.push(current);
  }
  return out;
}

/** A mixed sequence of thread picks and data choices for one run. */
export function session(s: Scheduler, run: number): number[] {
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
