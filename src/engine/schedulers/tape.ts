/**
 * Tape scheduler: reads every decision from an array of integers (generated and shrunk by
 * fast-check). Values are taken modulo the number of options. When the tape runs out it falls back to
 * a fixed non-preemptive rule (keep the current thread while enabled, else the lowest id; data choice
 * 0), so shorter tapes mean fewer context switches and shrinking converges.
 */
import type { Scheduler } from '../scheduler.js';
import type { ThreadId } from '../types.js';

export function tapeScheduler(tape: readonly number[]): Scheduler {
  let pos = 0;
  const next = (n: number): number | null => {
    if (pos >= tape.length) return null;
    const v = tape[pos++] as number;
    return Number.isFinite(v) ? ((Math.trunc(v) % n) + n) % n : 0;
  };
  return {
    name: 'tape',
    begin() {
      pos = 0;
    },
    pickThread(enabled, current) {
      const i = next(enabled.length);
      if (i !== null) return enabled[i] as ThreadId;
      return current !== null && enabled.includes(current) ? current : (enabled[0] as ThreadId);
    },
    pickData(arity) {
      return next(arity) ?? 0;
    },
    end() {},
  };
}
