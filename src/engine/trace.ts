/**
 * Traces: each step with its thread, label, declared footprint, data choices and the state fields it
 * changed (computed by diffing, so the trace shows what really happened, not what was declared).
 */
import { type Change, show } from './value.js';
import type { Violation } from './violation.js';

export interface TraceEntry {
  readonly step: number;
  readonly tid: number;
  readonly thread: string;
  /** `proc.label` of the step taken. */
  readonly label: string;
  /** Declared footprint as `r:obj` / `w:obj`, or null when the step declares none. */
  readonly footprint: readonly string[] | null;
  readonly choices: readonly number[];
  readonly changes: readonly Change[];
}

export function formatTraceEntry(e: TraceEntry): string {
  const choices = e.choices.length > 0 ? ` choose=${e.choices.join(',')}` : '';
  const changes = e.changes.map((c) => `${c.path}: ${show(c.from)} -> ${show(c.to)}`).join('; ');
  return `#${e.step} ${e.thread} ${e.label}${choices}${changes ? `  | ${changes}` : ''}`;
}

export function formatViolation(v: Violation): string {
  return v.kind === 'invariant'
    ? `invariant '${v.name}' violated after step ${v.step}: ${v.message}`
    : `${v.name} after step ${v.step}: ${v.message}`;
}
