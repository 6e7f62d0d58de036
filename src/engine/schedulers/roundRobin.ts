/**
 * Round-robin scheduler with enumerated time slices. Threads take turns in id order; a turn lasts a
 * time slice of 1..4 steps (or until the thread blocks or ends). Run r is a number written in mixed
 * radix: its lowest digit (base 2) picks the first thread, the next digits (base 4) the slices of the
 * successive turns, so run 0 is strict alternation with slice 1 and successive runs systematically
 * cover other slice patterns. Data choices cycle through their values, shifted by r. Deterministic.
 */
import type { Scheduler } from '../scheduler.js';
import type { ThreadId } from '../types.js';

const sliceMax = 4;

export function roundRobinScheduler(): Scheduler {
  let run = 0;
  let digits = 0;
  let left = 0;
  let dataCount = 0;
  const nextSlice = (): number => {
    const slice = 1 + (digits % sliceMax);
    digits = Math.floor(digits / sliceMax);
    return slice;
  };
  return {
    name: 'rr',
    begin(r) {
      run = r;
      digits = Math.floor(r / 2);
      left = 0;
      dataCount = 0;
    },
    pickThread(enabled, current) {
      if (current === null) {
        left = nextSlice() - 1;
        return enabled[(run % 2) % enabled.length] as ThreadId;
      }
      if (left > 0 && enabled.includes(current)) {
        left--;
        return current;
      }
      left = nextSlice() - 1;
      for (const t of enabled) if (t > current) return t;
      return enabled[0] as ThreadId;
    },
    pickData(arity) {
      return (run + dataCount++) % arity;
    },
    end() {},
  };
}
