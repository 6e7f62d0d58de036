/**
 * The manifest (like tlaplus/Examples' manifest.json): named configurations with their expected
 * outcome (manifestRow.ts). `small` rows run in CI. Tests, `mmcheck check` (manifestRun.ts) and
 * `mmcheck list` read this one table.
 */
import { almosRows } from './almosManifest.js';
import type { ManifestRow } from './manifestRow.js';

export type { ManifestRow } from './manifestRow.js';
export { restrictInvariants } from './manifestRun.js';

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
    shortest: 4,
  },
  {
    name: 'lost-update-3',
    model: 'lost-update',
    config: { threads: 3, increments: 1 },
    expected: 'violation:noLostUpdate',
    runs: 200,
    small: true,
    note: 'three threads',
    shortest: 6,
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
    shortest: 8,
  },
  {
    name: 'lock-inversion',
    model: 'lock-inversion',
    config: { ordered: false },
    expected: 'violation:deadlock',
    runs: 200,
    small: true,
    note: 'ABBA: T0 takes a then b, T1 takes b then a',
    shortest: 2,
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
