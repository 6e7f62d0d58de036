/** Uniform random scheduler: every step, any enabled thread; every data choice, any value. */
import { Prng, runSeed } from '../prng.js';
import type { Scheduler } from '../scheduler.js';
import type { ThreadId } from '../types.js';

export function randomScheduler(seed: number): Scheduler {
  let prng = new Prng(seed);
  return {
    name: 'random',
    begin(run) {
      prng = new Prng(runSeed(seed, run));
    },
    pickThread(enabled) {
      return enabled[prng.int(enabled.length)] as ThreadId;
    },
    pickData(arity) {
      return prng.int(arity);
    },
    end() {},
  };
}
