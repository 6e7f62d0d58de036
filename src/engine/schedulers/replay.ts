/**
 * Replay scheduler: follows recorded decisions (2*tid for a thread pick, 2*value+1 for a data
 * choice) and checks each one. A thread that is not enabled, a decision of the other kind, a value out
 * of range, or a recording that ends early is a ReplayDivergence naming the step.
 */
import { ReplayDivergence } from '../errors.js';
import type { Scheduler } from '../scheduler.js';
import type { ThreadId } from '../types.js';

export function replayScheduler(decisions: readonly number[]): Scheduler {
  let pos = 0;
  let step = 0;
  const take = (what: string): number => {
    const d = decisions[pos++];
    if (d === undefined)
      throw new ReplayDivergence(`replay diverged at step ${step}: recording ended, ${what} wanted`);
    return d;
  };
  return {
    name: 'replay',
    begin() {
      pos = 0;
      step = 0;
    },
    pickThread(enabled) {
      step++;
      const d = take('a thread pick');
      if (d % 2 !== 0)
        throw new ReplayDivergence(
          `replay diverged at step ${step}: recorded a data choice, a thread pick wanted`,
        );
      const tid = d / 2;
      if (!enabled.includes(tid as ThreadId)) {
        throw new ReplayDivergence(
          `replay diverged at step ${step}: thread ${tid} is not enabled (enabled: ${enabled.join(',')})`,
        );
      }
      return tid as ThreadId;
    },
    pickData(arity, what) {
      const d = take(`a data choice (${what})`);
      if (d % 2 !== 1)
        throw new ReplayDivergence(
          `replay diverged at step ${step}: recorded a thread pick, a data choice (${what}) wanted`,
        );
      const v = (d - 1) / 2;
      if (v >= arity)
        throw new ReplayDivergence(
          `replay diverged at step ${step}: choice ${v} out of range for ${what} (${arity} options)`,
        );
      return v;
    },
    end() {
      if (pos < decisions.length) {
        throw new ReplayDivergence(
          `replay diverged at step ${step}: execution ended with ${decisions.length - pos} recorded decisions left`,
        );
      }
    },
  };
}
