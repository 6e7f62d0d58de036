/**
 * Plain-data utilities: deep clone, structural diff, rendering, size; the canonical 64-bit
 * fingerprint is in hash.ts (re-exported here).
 * Contract: inputs are `Value`-shaped (no classes, no cycles, no undefined inside arrays).
 */
import type { Value } from './types.js';

export { fingerprint, fingerprintInto } from './hash.js';

export function cloneValue<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const n = v.length;
    const out = new Array(n);
    for (let i = 0; i < n; i++) out[i] = cloneValue(v[i]);
    return out as T;
  }
  const out: Record<string, unknown> = {};
  for (const k in v) {
    const x = cloneValue((v as Record<string, unknown>)[k]);
    // An own key named __proto__ (JSON can make one) must stay a key, not become the prototype.
    if (k === '__proto__')
      Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
    else out[k] = x;
  }
  return out as T;
}

export interface Change {
  readonly path: string;
  readonly from: Value | undefined;
  readonly to: Value | undefined;
}

/** Leaf-level differences between two plain values, as dotted paths (arrays index with numbers). */
export function diffValues(a: unknown, b: unknown, path = '', out: Change[] = []): Change[] {
  if (a === b) return out;
  const bothObjects = typeof a === 'object' && a !== null && typeof b === 'object' && b !== null;
  if (!bothObjects || Array.isArray(a) !== Array.isArray(b)) {
    // Copies: the live objects may change after this step.
    out.push({ path, from: cloneValue(a) as Value | undefined, to: cloneValue(b) as Value | undefined });
    return out;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const keys = [...new Set([...ka, ...kb])].sort(compareKeys);
  for (const k of keys) {
    diffValues(
      (a as Record<string, unknown>)[k],
      (b as Record<string, unknown>)[k],
      path === '' ? k : `${path}.${k}`,
      out,
    );
  }
  return out;
}

/** Index-like keys first, in numeric order, then the others in code-unit order (a total order). */
function compareKeys(x: string, y: string): number {
  const ix = /^\d+$/.test(x);
  const iy = /^\d+$/.test(y);
  if (ix !== iy) return ix ? -1 : 1;
  if (ix) return Number(x) - Number(y) || (x < y ? -1 : x > y ? 1 : 0);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Compact, deterministic rendering of a value for traces. */
export function show(v: Value | undefined): string {
  return v === undefined ? '-' : JSON.stringify(v);
}

/** Number of objects and arrays in `v` (stops counting at `limit`). */
export function countObjects(v: unknown, limit = Number.POSITIVE_INFINITY): number {
  if (typeof v !== 'object' || v === null) return 0;
  let n = 1;
  for (const x of Object.values(v)) {
    if (n >= limit) break;
    n += countObjects(x, limit - n);
  }
  return n;
}
