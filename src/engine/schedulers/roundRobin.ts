/**
 * Round-robin scheduler: a time slice of one step, threads in id order, so every step is a context
 * switch (maximally interleaved, fully deterministic). Run r starts with the r-th enabled thread and
 * shifts data choices by r, so successive runs differ.
 */
import type { Scheduler } from '../scheduler.js';
import type { ThreadId } from '../types.js';

export function roundRobinScheduler(): Scheduler {
  let run = 0;
  let dataCount = 0;
  return {
    name: 'rr',
    begin(r) {
      run = r;
      dataCount = 0;
    },
    pickThread(enabled, current) {
      if (current === null) return enabled[run % enabled.length] as ThreadId;
      for (const t of enabled) if (t > current) return t;
      return enabled[0] as ThreadId;
    },
    pickData(arity) {
      return (run + dataCount++) % arity;
    },
    end() {},
  };
}
