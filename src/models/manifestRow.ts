/**
 * A manifest row (like an entry of tlaplus/Examples' manifest.json): a named configuration, the
 * outcome it must have, the evidence the outcome rests on (random runs, an exhaustive search or one
 * the row accepts as bounded) and the invariants it checks; and how that expectation reads wherever
 * it is printed (`mmcheck check`, `mmcheck list`), so that no pass reads stronger than it is.
 */
import type { Config } from '../engine/types.js';

/** 'pass' or 'violation:<name>' (an invariant name, 'assertion', 'deadlock' or 'livelock'). */
export type Outcome = 'pass' | `violation:${string}`;

/** BFS state budget of a row that names none. */
export const defaultMaxStates = 200_000;

export interface ManifestRow {
  readonly name: string;
  readonly model: string;
  readonly config: Config;
  readonly expected: Outcome;
  /** Random-exploration budget (runs) within which every scheduler must meet the expectation. */
  readonly runs: number;
  readonly small: boolean;
  readonly note: string;
  /** Scheduler of the row's random runs (default portfolio). */
  readonly scheduler?: 'random' | 'rr' | 'pct' | 'portfolio';
  /** BFS state budget (default defaultMaxStates); 0 = no search, the row rests on its random runs. */
  readonly maxStates?: number;
  /**
   * Why a search cut by its budget is enough for this row. Without it a search that hits its budget
   * is 'incomplete' and the row fails: a pass needs the whole state space.
   */
  readonly bounded?: string;
  /** The invariants checked (default: all of the model's). */
  readonly invariants?: readonly string[];
  /** With `invariants`: the outcome with every invariant, printed with the row (the tests check it). */
  readonly allInvariants?: Outcome;
  /** Length (steps) of the shortest counterexample, for rows expecting a violation. */
  readonly shortest?: number;
}

/** The row's BFS state budget (0: no search). */
export function searchBudget(row: ManifestRow): number {
  return row.maxStates ?? defaultMaxStates;
}

/**
 * The expectation as printed: `violation:X in N steps`; `pass`, `pass (bounded: N states)` or
 * `pass (random: N runs)` by the evidence it needs. A subset row prints subsetLabel next to it.
 */
export function expectationLabel(row: ManifestRow): string {
  const budget = searchBudget(row);
  let label: string = row.expected;
  if (row.expected !== 'pass') label += row.shortest === undefined ? '' : ` in ${row.shortest} steps`;
  else if (budget === 0) label += ` (random: ${row.runs} runs)`;
  else if (row.bounded !== undefined) label += ` (bounded: ${budget} states)`;
  return label;
}

/** `[only I, J; all invariants: O]` for a row checking a subset of the invariants, else null. */
export function subsetLabel(row: ManifestRow): string | null {
  if (row.invariants === undefined) return null;
  return `[only ${row.invariants.join(', ')}; all invariants: ${row.allInvariants ?? 'unknown'}]`;
}
