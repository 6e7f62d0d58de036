/**
 * Plain-data utilities: deep clone, canonical 64-bit fingerprint and structural diff.
 * Contract: inputs are `Value`-shaped (no classes, no cycles, no undefined inside arrays). Object key
 * order never matters: the fingerprint hashes keys in sorted order, so equal states hash equally
 * whatever order steps created their fields in.
 */
import type { Value } from './types.js';

export function cloneValue<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const n = v.length;
    const out = new Array(n);
    for (let i = 0; i < n; i++) out[i] = cloneValue(v[i]);
    return out as T;
  }
  const out: Record<string, unknown> = {};
  for (const k in v) out[k] = cloneValue((v as Record<string, unknown>)[k]);
  return out as T;
}

// Two independent 32-bit lanes (murmur3-style mixing) give a 64-bit fingerprint.
let h1 = 0;
let h2 = 0;

function mix(x: number): void {
  let k = Math.imul(x, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h1 ^= k;
  h1 = (h1 << 13) | (h1 >>> 19);
  h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
  let j = Math.imul(x ^ 0x5bd1e995, 0x85ebca6b);
  j = (j << 17) | (j >>> 15);
  j = Math.imul(j, 0xc2b2ae35);
  h2 ^= j;
  h2 = (h2 << 11) | (h2 >>> 21);
  h2 = (Math.imul(h2, 9) + 0x52dce729) | 0;
}

function mixString(s: string): void {
  const n = s.length;
  mix(n ^ 0x73000000);
  for (let i = 0; i < n; i++) mix(s.charCodeAt(i));
}

function isSorted(keys: string[]): boolean {
  for (let i = 1; i < keys.length; i++) if ((keys[i - 1] as string) > (keys[i] as string)) return false;
  return true;
}

function feed(v: unknown): void {
  switch (typeof v) {
    case 'number':
      if ((v | 0) === v) {
        mix(0x6e000001);
        mix(v);
      } else {
        mix(0x6e000002);
        mixString(String(v));
      }
      return;
    case 'string':
      mixString(v);
      return;
    case 'boolean':
      mix(v ? 0x62000001 : 0x62000000);
      return;
    case 'undefined':
      mix(0x75000000);
      return;
    case 'object':
      if (v === null) {
        mix(0x6c000000);
        return;
      }
      if (Array.isArray(v)) {
        mix(0x61000000 ^ v.length);
        for (let i = 0; i < v.length; i++) feed(v[i]);
        return;
      }
      {
        const keys = Object.keys(v);
        if (!isSorted(keys)) keys.sort();
        mix(0x6f000000 ^ keys.length);
        for (const k of keys) {
          mixString(k);
          feed((v as Record<string, unknown>)[k]);
        }
      }
      return;
    default:
      throw new TypeError(`fingerprint: not plain data (${typeof v})`);
  }
}

function finish(h: number, len: number): number {
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** 64-bit canonical fingerprint, as two unsigned 32-bit halves written into `out`. */
export function fingerprintInto(v: unknown, out: Uint32Array): void {
  h1 = 0x9747b28c;
  h2 = 0x2f3a5d17;
  feed(v);
  out[0] = finish(h1, 0x5f);
  out[1] = finish(h2 ^ out[0], 0xa3);
}

const scratch = new Uint32Array(2);
/** 64-bit canonical fingerprint as 16 hex digits. */
export function fingerprint(v: unknown): string {
  fingerprintInto(v, scratch);
  return (scratch[0] as number).toString(16).padStart(8, '0') + (scratch[1] as number).toString(16).padStart(8, '0');
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
    out.push({ path, from: a as Value | undefined, to: b as Value | undefined });
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

function compareKeys(x: string, y: string): number {
  const nx = Number(x);
  const ny = Number(y);
  if (Number.isInteger(nx) && Number.isInteger(ny)) return nx - ny;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Compact, deterministic rendering of a value for traces. */
export function show(v: Value | undefined): string {
  return v === undefined ? '-' : JSON.stringify(v);
}
