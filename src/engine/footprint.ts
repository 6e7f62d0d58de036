/**
 * Footprint algebra: path coverage and conflicts between accesses (the independence relation of
 * partial-order reduction), and the check that a step's real writes are covered by its declaration.
 * Paths are dotted; `a` covers `a.b.c`, the empty path covers everything; `*` matches any one segment
 * (in invariants' reads). Two
 * accesses conflict when one path covers the other and at least one of them writes.
 */
import { HarnessError } from './errors.js';
import type { Access } from './types.js';

export function overlaps(p: string, q: string): boolean {
  if (p === '' || q === '') return true;
  if (p.includes('*') || q.includes('*')) return overlapsPattern(p, q);
  if (p.length === q.length) return p === q;
  const [short, long] = p.length < q.length ? [p, q] : [q, p];
  return long.startsWith(short) && long.charCodeAt(short.length) === 46; /* '.' */
}

/** Segment-wise: one path is a prefix of the other, `*` matching any one segment. */
function overlapsPattern(p: string, q: string): boolean {
  return segmentsOverlap(p.split('.'), q.split('.'));
}

/** `overlaps` on paths already split into segments (an empty path covers everything). */
export function segmentsOverlap(a: readonly string[], b: readonly string[]): boolean {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x !== y && x !== '*' && y !== '*') return false;
  }
  return true;
}

export function conflicts(a: readonly Access[], b: readonly Access[]): boolean {
  for (const x of a) {
    for (const y of b) {
      if ((x.write || y.write) && overlaps(x.obj, y.obj)) return true;
    }
  }
  return false;
}

/** Does any write of `a` touch one of `paths`? (visibility to invariants) */
export function writesAny(a: readonly Access[], paths: readonly string[]): boolean {
  for (const x of a) {
    if (!x.write) continue;
    for (const p of paths) if (overlaps(x.obj, p)) return true;
  }
  return false;
}

export function formatAccesses(a: readonly Access[]): string[] {
  return a.map((x) => `${x.write ? 'w' : 'r'}:${x.obj}`);
}

/**
 * Throws a HarnessError when a change made by the step is not covered by a declared write.
 * `sharedChanges` are paths in the shared state; `otherThreads` the ids of other threads it changed.
 */
export function validateFootprint(
  label: string,
  declared: readonly Access[],
  sharedChanges: readonly { readonly path: string }[],
  otherThreads: readonly number[],
  spawned: boolean,
): void {
  const covered = (path: string) => declared.some((a) => a.write && overlaps(a.obj, path));
  for (const c of sharedChanges) {
    if (!covered(c.path)) throw new HarnessError(`footprint of ${label} misses its write to '${c.path}'`);
  }
  for (const t of otherThreads) {
    if (!covered(`@t${t}`)) throw new HarnessError(`footprint of ${label} misses its write to thread @t${t}`);
  }
  if (spawned && !covered('@spawn')) throw new HarnessError(`footprint of ${label} spawns without '@spawn'`);
}
