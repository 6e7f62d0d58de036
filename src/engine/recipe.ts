/**
 * Failures are replay recipes (shared/design.md): a one-line replay string and a JSON failure file,
 * both holding the model, its configuration, the seed and the decisions of the failing run.
 * Replay string: `mm1:<model>:<seed>:<base64url(JSON config)>:<decisions>`, decisions joined by '.',
 * a thread pick as its id, a data choice as `c<value>` ('-' when empty), followed by `.budget` when the
 * run was cut there by its step budget (a livelock finding; without it, a replay that ends before the
 * run does is reported as such). Parsing rejects anything malformed with a one-line UsageError.
 */
import { UsageError } from './errors.js';
import { failureJsonDepth, parseJson } from './json.js';
import type { TraceEntry } from './trace.js';
import type { Config, ConfigValue } from './types.js';
import type { Violation } from './violation.js';

export interface Recipe {
  readonly model: string;
  readonly seed: number;
  readonly config: Config;
  readonly decisions: readonly number[];
  /** The run was cut by its step budget right after the last decision (a livelock); else absent. */
  readonly endsAtBudget?: true;
}

/** Ends the decisions of a replay string whose run was cut by its step budget (a livelock). */
export const budgetMark = '.budget';

export const failureFormat = 'mmcheck-failure/1';

export interface FailureReport extends Recipe {
  readonly format: typeof failureFormat;
  readonly violation: Violation;
  readonly scheduler: string;
  /** The campaign run that failed, numbered from 1; 0 for a counterexample of exhaustive search. */
  readonly run: number;
  readonly replay: string;
  readonly command: string;
  readonly trace: readonly TraceEntry[];
}

export function encodeDecisions(decisions: readonly number[]): string {
  if (decisions.length === 0) return '-';
  return decisions.map((d) => (d % 2 === 0 ? String(d / 2) : `c${(d - 1) / 2}`)).join('.');
}

export function decodeDecisions(text: string): number[] {
  if (text === '-') return [];
  return text.split('.').map((tok) => {
    const m = /^(c?)(\d{1,9})$/.exec(tok);
    if (m === null) throw new UsageError(`malformed replay: bad decision ${JSON.stringify(tok)}`);
    const n = Number(m[2]);
    return m[1] === 'c' ? 2 * n + 1 : 2 * n;
  });
}

export function encodeReplay(r: Recipe): string {
  const config = Buffer.from(JSON.stringify(r.config), 'utf8').toString('base64url');
  return `mm1:${r.model}:${r.seed}:${config}:${encodeDecisions(r.decisions)}${r.endsAtBudget ? budgetMark : ''}`;
}

export function decodeReplay(text: string): Recipe {
  const parts = text.trim().split(':');
  if (parts.length !== 5 || parts[0] !== 'mm1') {
    throw new UsageError(`malformed replay string: expected mm1:<model>:<seed>:<config>:<decisions>`);
  }
  const [, model, seedText, configText, decisionsText] = parts as [string, string, string, string, string];
  if (!/^[a-z][a-z0-9-]*$/.test(model))
    throw new UsageError(`malformed replay string: bad model name '${model}'`);
  if (!/^-?\d{1,10}$/.test(seedText)) throw new UsageError(`malformed replay string: bad seed '${seedText}'`);
  let config: unknown;
  try {
    // No depth bound needed: checkConfig looks at the top-level values only.
    config = JSON.parse(Buffer.from(configText, 'base64url').toString('utf8'));
  } catch {
    throw new UsageError('malformed replay string: configuration is not base64url JSON');
  }
  const endsAtBudget = decisionsText.endsWith(budgetMark);
  return {
    model,
    seed: Number(seedText),
    config: checkConfig(config),
    decisions: decodeDecisions(endsAtBudget ? decisionsText.slice(0, -budgetMark.length) : decisionsText),
    ...(endsAtBudget ? { endsAtBudget } : {}),
  };
}

function checkConfig(v: unknown): Config {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new UsageError('malformed replay: configuration is not an object');
  for (const [k, x] of Object.entries(v)) {
    if (!['number', 'boolean', 'string'].includes(typeof x))
      throw new UsageError(`malformed replay: setting '${k}' is not a scalar`);
  }
  return v as Record<string, ConfigValue>;
}

/** Parses a failure file's text (JSON) or a replay string into a recipe; one-line errors. */
export function parseRecipe(text: string): { recipe: Recipe; report: FailureReport | null } {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return { recipe: decodeReplay(trimmed), report: null };
  const data = parseJson(trimmed, 'malformed failure file', failureJsonDepth);
  const r = data as Partial<FailureReport>;
  if (typeof data !== 'object' || data === null || r.format !== failureFormat) {
    throw new UsageError(`malformed failure file: 'format' is not '${failureFormat}'`);
  }
  if (typeof r.replay !== 'string') throw new UsageError(`malformed failure file: no 'replay' string`);
  if (!Array.isArray(r.trace)) throw new UsageError(`malformed failure file: no 'trace' array`);
  if (typeof r.violation !== 'object' || r.violation === null || typeof r.violation.name !== 'string') {
    throw new UsageError(`malformed failure file: no 'violation'`);
  }
  return { recipe: decodeReplay(r.replay), report: r as FailureReport };
}
