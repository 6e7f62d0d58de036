/**
 * JSON text from users (scenario files, failure files, replay-string configurations): its nesting depth
 * is measured by an iterative scan before JSON.parse runs, so that nothing walking the parsed value
 * (validation, JSON.stringify in an error message, trace comparison) recurses thousands of levels
 * deep. Every problem is a one-line UsageError prefixed by `what` (e.g. `scenario`).
 */
import { UsageError } from './errors.js';

/** Nesting allowed in a scenario: far beyond any real one (a fork inside a fork adds two levels). */
export const scenarioJsonDepth = 64;

/** Nesting allowed in a failure file: its trace may hold a thread's operations (a scenario) whole. */
export const failureJsonDepth = 256;

/**
 * The deepest nesting of arrays and objects in `text` (brackets inside strings do not count), or the
 * first depth above `limit` (the scan stops there). Valid or not, any text has a depth.
 */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) {
      inString = true;
    } else if (ch === 0x5b || ch === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (ch === 0x5d || ch === 0x7d) {
      depth--;
    }
  }
  return deepest;
}

/** JSON.parse of `text` nested at most `limit` levels deep. */
export function parseJson(text: string, what: string, limit: number): unknown {
  if (jsonDepth(text, limit) > limit) {
    throw new UsageError(`${what}: JSON nested deeper than ${limit} level${limit === 1 ? '' : 's'}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    const reason = e instanceof Error ? (e.message.split('\n')[0] as string) : 'not JSON';
    throw new UsageError(`${what}: not valid JSON (${reason.slice(0, 80)})`);
  }
}

/** A value shown in an error message: JSON, at most 40 characters. */
export function showJson(v: unknown): string {
  const text = v === undefined ? 'nothing' : (JSON.stringify(v) ?? String(v));
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
