/**
 * The scheduler interface, shaped like Shuttle's: begin an execution, pick the next thread among the
 * enabled ones, pick a data choice. Implementations live in schedulers/, one file each.
 * Contract: `enabled` is never empty and sorted by id; the returned thread must be one of them; a data
 * choice must lie in [0, arity).
 */
import type { ThreadId } from './types.js';

export interface Scheduler {
  readonly name: string;
  /** Starts execution number `run` (0-based) of a campaign. */
  begin(run: number): void;
  /** `current` is the thread that took the previous step (null at the start); `step` counts steps. */
  pickThread(enabled: readonly ThreadId[], current: ThreadId | null, step: number): ThreadId;
  pickData(arity: number, what: string, tid: ThreadId): number;
  /** Ends the execution after `steps` steps (schedulers may adapt, e.g. PCT's step estimate). */
  end(steps: number): void;
}
