/**
 * Test support for the executor tests: wraps inline toy models (just init and procedures) in an
 * Instance, the default execution options, access shorthands and the serial scheduler.
 */
import type { ExecOptions } from '../../../src/engine/executor.js';
import { Instance } from '../../../src/engine/instance.js';
import type { Scheduler } from '../../../src/engine/scheduler.js';
import { tapeScheduler } from '../../../src/engine/schedulers/tape.js';
import type { Access, Model } from '../../../src/engine/types.js';

type Parts<S> = Pick<Model<S>, 'init' | 'procedures'> & Partial<Model<S>>;

export function instance<S>(parts: Parts<S>): Instance<S> {
  const model: Model<S> = {
    name: 'inline',
    summary: 'inline test model',
    params: {},
    defaultConfig: {},
    invariants: () => [],
    ...parts,
  };
  return new Instance<S>(model, {});
}

export const opts = (o: Partial<ExecOptions> = {}): ExecOptions => ({
  maxSteps: 1000,
  checkInvariants: true,
  trace: false,
  ...o,
});
export const w = (obj: string): Access => ({ obj, write: true });
export const r = (obj: string): Access => ({ obj, write: false });

/** Runs thread 0 to completion first, then thread 1, etc. (lowest id first, non-preemptive). */
export const serial = (): Scheduler => tapeScheduler([]);
