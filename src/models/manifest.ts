/**
 * The manifest (like tlaplus/Examples' manifest.json): named configurations with their expected
 * outcome. `expected` is 'pass' or 'violation:<name>' (an invariant name, 'assertion', 'deadlock' or
 * 'livelock'). `small` rows run in CI. Tests and `mmcheck list` read this one table.
 */
import type { Config } from '../engine/types.js';

export interface ManifestRow {
  readonly name: string;
  readonly model: string;
  readonly config: Config;
  readonly expected: 'pass' | `violation:${string}`;
  /** Random-exploration budget (runs) within which every scheduler must meet the expectation. */
  readonly runs: number;
  readonly small: boolean;
  readonly note: string;
}

export const manifest: readonly ManifestRow[] = [
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
];
