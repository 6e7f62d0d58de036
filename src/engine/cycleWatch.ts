/**
 * Non-progress cycle check of one execution (replay turns on `ExecOptions.cycles`): records each
 * state's fingerprint, the threads enabled in it, and each step's thread and progress. When the run
 * stops at its step budget, `closing` reports a livelock if the final state occurred before with no
 * progress step since, taking the earliest such occurrence: a search counterexample (a prefix to a
 * cycle's first state, then one turn of the cycle) replays to exactly its prefix and cycle.
 * A step taken when every non-daemon thread is done counts as progress: the run is over, and an idle
 * daemon's loop is no livelock (the same rule as search/cycles.ts).
 */
import type { Instance } from './instance.js';
import type { SystemState, Thread, ThreadId } from './types.js';
import { fingerprint } from './value.js';
import { nonProgressCycle, type Violation } from './violation.js';

export class CycleWatch<S> {
  /** Per state (index = steps taken before it): its fingerprint and enabled threads. */
  private readonly fingerprints: string[] = [];
  private readonly enabled: ThreadId[][] = [];
  /** Per step: the thread that took it. */
  private readonly tids: ThreadId[] = [];
  /** Steps up to and including the last progress step. */
  private lastProgress = 0;
  private idle = false;

  constructor(private readonly inst: Instance<S>) {}

  /** A state the run reached (before the budget check), with its enabled threads. */
  visit(state: SystemState<S>, enabled: readonly ThreadId[]): void {
    this.fingerprints.push(fingerprint(state));
    this.enabled.push(enabled.slice());
    this.idle = this.inst.allDone(state);
  }

  /** Thread `tid` is about to take its next step from the last visited state. */
  step(state: SystemState<S>, tid: ThreadId): void {
    const progress = this.idle || this.inst.nextStep(state.threads[tid] as Thread).progress === true;
    this.tids.push(tid);
    if (progress) this.lastProgress = this.tids.length;
  }

  /** The livelock closed by the last visited state, or null. */
  closing(state: SystemState<S>): Violation | null {
    const n = this.fingerprints.length - 1;
    const last = this.fingerprints[n];
    for (let k = this.lastProgress; k < n; k++) {
      if (this.fingerprints[k] !== last) continue;
      const steppers = new Set(this.tids.slice(k, n));
      const unfair = state.threads
        .filter((t) => !steppers.has(t.id) && this.enabled.slice(k, n).every((e) => e.includes(t.id)))
        .map((t) => t.name);
      return nonProgressCycle(k, n - k, unfair);
    }
    return null;
  }
}
