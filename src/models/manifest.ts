/**
 * The manifest (like tlaplus/Examples' manifest.json): named configurations with their expected
 * outcome. `expected` is 'pass' or 'violation:<name>' (an invariant name, 'assertion', 'deadlock' or
 * 'livelock'). `small` rows run in CI. Tests and `mmcheck list` read this one table.
 */
import { UsageError } from '../engine/errors.js';
import type { AnyModel, Config } from '../engine/types.js';
import { almosRows } from './almosManifest.js';

export interface ManifestRow {
  readonly name: string;
  readonly model: string;
  readonly config: Config;
  readonly expected: 'pass' | `violation:${string}`;
  /** Random-exploration budget (runs) within which every scheduler must meet the expectation. */
  readonly runs: number;
  readonly small: boolean;
  readonly note: string;
  /** Scheduler of `mmcheck check` (default portfolio). */
  readonly scheduler?: 'random' | 'rr' | 'pct' | 'portfolio';
  /** BFS budget of `mmcheck check` after the random runs found nothing (default 200 000; 0 = none). */
  readonly maxStates?: number;
  /** The invariants checked (default: all of the model's). */
  readonly invariants?: readonly string[];
  /** Length (steps) of the shortest counterexample, for rows expecting a violation. */
  readonly shortest?: number;
}

export const manifest: readonly ManifestRow[] = [
  ...almosRows,
  {
    name: 'lost-update-2',
    model: 'lost-update',
    config: { threads: 2, increments: 1 },
    expected: 'violation:noLostUpdate',
    runs: 200,
    small: true,
    note: 'two threads, one increment each: the textbook lost update',
  },
  {
    name: 'lost-update-3',
    model: 'lost-update',
    config: { threads: 3, increments: 1 },
    expected: 'violation:noLostUpdate',
    runs: 200,
    small: true,
    note: 'three threads',
  },
  {
    name: 'mutex-counter-2',
    model: 'mutex-counter',
    config: { threads: 2, increments: 2, work: 1 },
    expected: 'pass',
    runs: 200,
    small: true,
    note: 'lost-update-2 with the increment under a spinlock: no update is lost',
  },
  {
    name: 'mutex-counter-3',
    model: 'mutex-counter',
    config: { threads: 3, increments: 1, work: 2 },
    expected: 'pass',
    runs: 200,
    small: true,
    note: 'three threads contending for the lock',
  },
  {
    name: 'peterson',
    model: 'peterson',
    config: { rounds: 2 },
    expected: 'pass',
    runs: 300,
    small: true,
    note: "Peterson's lock, two critical sections per thread",
  },
  {
    name: 'peterson-broken',
    model: 'peterson-broken',
    config: { rounds: 1 },
    expected: 'violation:mutualExclusion',
    runs: 1000,
    small: true,
    note: 'turn set before flag; a depth-3 bug (two preemptions): rr never finds it, random within ~150 runs',
  },
  {
    name: 'lock-inversion',
    model: 'lock-inversion',
    config: { ordered: false },
    expected: 'violation:deadlock',
    runs: 200,
    small: true,
    note: 'ABBA: T0 takes a then b, T1 takes b then a',
  },
  {
    name: 'lock-ordered',
    model: 'lock-inversion',
    config: { ordered: true },
    expected: 'pass',
    runs: 200,
    small: true,
    note: 'both threads take a then b: the lock order removes the deadlock',
  },
  {
    name: 'polite-backoff',
    model: 'polite-backoff',
    config: { rounds: 1, dekker: false },
    expected: 'violation:livelock',
    runs: 0,
    small: true,
    maxStates: 10_000,
    shortest: 6,
    note: 'both raise, both see the other, both back off, forever: a weakly fair non-progress cycle (search only: random runs break the symmetry)',
  },
  {
    name: 'polite-backoff-dekker',
    model: 'polite-backoff',
    config: { rounds: 2, dekker: true },
    expected: 'pass',
    runs: 0,
    small: true,
    maxStates: 10_000,
    note: "Dekker's turn: the only non-progress cycles starve an enabled thread (not weakly fair; PCT runs hit the step budget there)",
  },
];

/** The model checking only the named invariants (a manifest row's `invariants`). */
export function restrictInvariants(model: AnyModel, names: readonly string[]): AnyModel {
  return {
    ...model,
    invariants: (c: Config) => {
      const all = model.invariants(c);
      for (const n of names) {
        if (!all.some((i) => i.name === n))
          throw new UsageError(`model '${model.name}' has no invariant '${n}'`);
      }
      return all.filter((i) => names.includes(i.name));
    },
  };
}
