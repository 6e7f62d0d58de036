/**
 * Runs one manifest row, the one runner behind `mmcheck check` and the manifest tests: `row.runs`
 * random runs (seed 1, the row's scheduler, default portfolio), then a BFS of at most
 * searchBudget(row) states, both checking the row's invariants (default all). The outcome says what
 * the evidence is worth: 'complete' (a violation found, or the whole state space searched) or
 * 'incomplete' (search cut by a budget, or no search), and the row is met only by the evidence it
 * asks for: the violation it names (with its shortest counterexample length when recorded), or a
 * pass of a complete search, of a cut one if the row is `bounded`, of random runs if it has no search.
 * With `auditFootprints`, the search checks every step's writes against its footprint (search/audit.ts;
 * random runs are not audited: traced runs, which validate footprints, cost ten times more).
 */
import { runCampaign } from '../engine/campaign.js';
import { resolveConfig } from '../engine/config.js';
import { UsageError } from '../engine/errors.js';
import { Instance } from '../engine/instance.js';
import { makeScheduler } from '../engine/schedulers/index.js';
import { defaultSearchOptions, type SearchResult, search } from '../engine/search/index.js';
import type { AnyModel, Config } from '../engine/types.js';
import type { Violation } from '../engine/violation.js';
import { findModel } from './index.js';
import { expectationLabel, type ManifestRow, searchBudget, subsetLabel } from './manifestRow.js';

export interface RunRowOptions {
  /** The search validates every step's writes against its declared footprint (default false). */
  readonly auditFootprints?: boolean;
  /** Clock in ms for `ms` (the CLI's); without one, `ms` is 0. */
  readonly now?: () => number;
}

export interface RowOutcome {
  readonly name: string;
  readonly model: string;
  /** The expectation as printed (expectationLabel). */
  readonly expected: string;
  /** What the evidence shows: `violation:X in N steps`, `pass`, `incomplete (...)`, `error: ...`. */
  readonly got: string;
  readonly ok: boolean;
  readonly verdict: 'complete' | 'incomplete';
  /** Why the verdict is incomplete, else null. */
  readonly incompleteReason: string | null;
  /** The invariants checked when the row checks a subset of them, else null (all of them). */
  readonly invariants: readonly string[] | null;
  /** For a subset row: `[only I; all invariants: O]` (subsetLabel), else null. */
  readonly subset: string | null;
  /** The random runs' outcome ('pass' or 'violation:X'), null when the row has none. */
  readonly campaign: string | null;
  /** The search's outcome ('pass', 'incomplete' or 'violation:X'), null when the row has none. */
  readonly search: string | null;
  readonly runs: number;
  readonly steps: number;
  /** States stored by the search, or null when it did not run. */
  readonly states: number | null;
  /** Steps of the BFS counterexample, or null. */
  readonly shortest: number | null;
  readonly audited: boolean;
  readonly ms: number;
}

const seed = 1;

export function runRow(row: ManifestRow, options: RunRowOptions = {}): RowOutcome {
  const now = options.now ?? (() => 0);
  const audit = options.auditFootprints ?? false;
  const t0 = now();
  const base = {
    name: row.name,
    model: row.model,
    expected: expectationLabel(row),
    invariants: row.invariants ?? null,
    subset: subsetLabel(row),
    audited: audit,
  };
  let inst: Instance;
  try {
    const model = findModel(row.model);
    const m = row.invariants ? restrictInvariants(model, row.invariants) : model;
    inst = new Instance(m, resolveConfig(model, row.config));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return {
      ...base,
      got: `error: ${e.message}`,
      ok: false,
      verdict: 'incomplete',
      incompleteReason: 'the row was rejected',
      campaign: null,
      search: null,
      runs: 0,
      steps: 0,
      states: null,
      shortest: null,
      ms: now() - t0,
    };
  }
  const scheduler = makeScheduler(row.scheduler ?? 'portfolio', { seed, pctDepth: 3, stepsEstimate: 50 });
  const c = row.runs > 0 ? runCampaign(inst, scheduler, row.runs) : null;
  const budget = searchBudget(row);
  const r =
    budget > 0
      ? search(inst, { ...defaultSearchOptions, strategy: 'bfs', maxStates: budget, auditFootprints: audit })
      : null;
  const campaignGot = c === null ? null : outcomeOf(c.violation);
  const searchGot = r === null ? null : r.violation ? outcomeOf(r.violation) : r.verdict;
  const shortest = r?.violation && r.decisions ? r.decisions.filter((d) => d % 2 === 0).length : null;
  const found = r?.violation ?? c?.violation ?? null;
  const incompleteReason =
    found !== null ? null : r === null ? 'no exhaustive search (random runs only)' : r.incompleteReason;
  return {
    ...base,
    got: gotLabel(c?.runs ?? 0, campaignGot, r, searchGot, shortest),
    ok: campaignOk(row, campaignGot) && searchOk(row, searchGot, shortest),
    verdict: incompleteReason === null ? 'complete' : 'incomplete',
    incompleteReason,
    campaign: campaignGot,
    search: searchGot,
    runs: c?.runs ?? 0,
    steps: c?.steps ?? 0,
    states: r?.states ?? null,
    shortest,
    ms: now() - t0,
  };
}

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

const outcomeOf = (v: Violation | null): string => (v === null ? 'pass' : `violation:${v.name}`);

/** Random runs meet the row when they find its violation, or nothing for a pass. */
function campaignOk(row: ManifestRow, got: string | null): boolean {
  return got === null || got === row.expected;
}

/**
 * The search meets the row when it finds the row's violation (in `row.shortest` steps when recorded),
 * and for a pass when it ends, or is cut by its budget in a `bounded` row; an incomplete search of a
 * violation row defers to the random runs.
 */
function searchOk(row: ManifestRow, got: string | null, shortest: number | null): boolean {
  if (got === null) return row.runs > 0 && (row.expected === 'pass' || row.shortest === undefined);
  if (row.expected === 'pass') return got === 'pass' || (got === 'incomplete' && row.bounded !== undefined);
  if (got === 'incomplete') return row.runs > 0 && row.shortest === undefined;
  return got === row.expected && (row.shortest === undefined || shortest === row.shortest);
}

/** The search's finding (or `pass`, `incomplete (why)`), then the random runs' where they differ. */
function gotLabel(
  runs: number,
  campaignGot: string | null,
  r: SearchResult | null,
  searchGot: string | null,
  shortest: number | null,
): string {
  if (r === null)
    return campaignGot === 'pass' ? `pass (random: ${runs} runs)` : (campaignGot ?? 'nothing ran');
  const got = r.violation
    ? `${searchGot} in ${shortest} steps`
    : r.verdict === 'pass'
      ? 'pass'
      : `incomplete (${r.incompleteReason})`;
  return campaignGot === null || campaignGot === searchGot ? got : `${got} (random runs: ${campaignGot})`;
}
