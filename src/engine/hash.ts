/**
 * Canonical 64-bit fingerprints of plain data (visited sets of the exhaustive searches). All hashing
 * state lives in a `Hasher` (newHasher), owned by its user (a search makes one and keeps it, so its
 * string digest cache lives as long as the search); nothing is kept at module level.
 * Contract: inputs are `Value`-shaped (no classes, no cycles, no undefined inside arrays). Object key
 * order never matters: an object's digest sums per-entry hashes, so equal states hash equally whatever
 * order steps created their fields in. Every result is a pure function of the input: the caches only
 * save work.
 */

const digestKey: unique symbol = Symbol('mmcheck.digest');
type Digested = { [digestKey]?: readonly [number, number] };

/** Objects smaller than this are hashed inline rather than memoised (memoising costs more). */
const memoMinEntries = 5;
/** The string digest cache is emptied when it grows past this many strings. */
const stringDigestsMax = 65_536;

function finish(h: number, len: number): number {
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function digest(s: string): number {
  let h = 0x811c9dc5 ^ s.length;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  let g = 0x6a09e667;
  for (let i = s.length - 1; i >= 0; i--) g = Math.imul(g ^ s.charCodeAt(i), 0x5bd1e995) ^ (g >>> 13);
  return (h ^ Math.imul(g, 0x27d4eb2d)) | 0;
}

/**
 * The state of fingerprint computations: two independent 32-bit lanes (murmur3-style mixing) give a
 * 64-bit fingerprint, and a cache of string digests. One computation at a time per Hasher (each
 * starts by resetting the lanes, so a failed one leaves nothing behind).
 */
export interface Hasher {
  /** 64-bit canonical fingerprint of `v`, as two unsigned 32-bit halves written into `out`. */
  fingerprintInto(v: unknown, out: Uint32Array): void;
  /**
   * Fingerprint of a system state `{ shared, threads }` for search, with every object's digest
   * memoised on the object (feedMemo). Contract: an object is never mutated after it has been
   * fingerprinted here — true in search, where successor states copy what their step writes
   * (copyOnWrite.ts) and share the rest. `extra` (ints) is mixed in last, e.g. a search node's bound
   * data. Values differ from `fingerprintInto`'s (both are canonical).
   */
  fingerprintStateInto(
    state: { readonly shared: unknown; readonly threads: readonly object[] },
    out: Uint32Array,
    extra?: readonly number[],
    memoShared?: boolean,
  ): void;
}

/**
 * A new Hasher. Its lanes and cache are variables of this call (closure state, as fast to reach as
 * the module-level variables they replace), private to it.
 */
export function newHasher(): Hasher {
  let h1 = 0;
  let h2 = 0;
  /** Digest of each string seen (a pure function of the string, so caching cannot change a result). */
  const stringDigests = new Map<string, number>();

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
    let d = stringDigests.get(s);
    if (d === undefined) {
      d = digest(s);
      if (stringDigests.size > stringDigestsMax) stringDigests.clear();
      stringDigests.set(s, d);
    }
    mix(0x73000000 ^ s.length);
    mix(d);
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
          // Order-independent: each entry is hashed on its own and the entry hashes are summed.
          const o = v as Record<string, unknown>;
          const save1 = h1;
          const save2 = h2;
          let sum1 = 0;
          let sum2 = 0;
          let n = 0;
          for (const k in o) {
            h1 = 0x3c6ef372;
            h2 = 0x7f4a7c15;
            mixString(k);
            feed(o[k]);
            sum1 = (sum1 + finish(h1, 0x11)) | 0;
            sum2 = (sum2 + finish(h2, 0x22)) | 0;
            n++;
          }
          h1 = save1;
          h2 = save2;
          mix(0x6f000000 ^ n);
          mix(sum1);
          mix(sum2);
        }
        return;
      default:
        throw new TypeError(`fingerprint: not plain data (${typeof v})`);
    }
  }

  /**
   * Like `feed`, with each object's and array's digest memoised on it (a non-enumerable symbol
   * property: invisible to clone, spread, slice, JSON and diff, so copies start without one).
   */
  function feedMemo(v: unknown): void {
    if (typeof v !== 'object' || v === null) {
      feed(v);
      return;
    }
    let d = (v as Digested)[digestKey];
    if (d === undefined) {
      const s1 = h1;
      const s2 = h2;
      h1 = 0x2545f491;
      h2 = 0x4f6cdd1d;
      let n = 0;
      if (Array.isArray(v)) {
        n = v.length;
        mix(0x61000000 ^ n);
        for (let i = 0; i < n; i++) feedMemo(v[i]);
      } else {
        const o = v as Record<string, unknown>;
        let sum1 = 0;
        let sum2 = 0;
        for (const k in o) {
          const e1 = h1;
          const e2 = h2;
          h1 = 0x3c6ef372;
          h2 = 0x7f4a7c15;
          mixString(k);
          feedMemo(o[k]);
          sum1 = (sum1 + finish(h1, 0x11)) | 0;
          sum2 = (sum2 + finish(h2, 0x22)) | 0;
          h1 = e1;
          h2 = e2;
          n++;
        }
        mix(0x6f000000 ^ n);
        mix(sum1);
        mix(sum2);
      }
      d = [finish(h1, 0x33), finish(h2, 0x44)];
      if (n >= memoMinEntries) Object.defineProperty(v, digestKey, { value: d, enumerable: false });
      h1 = s1;
      h2 = s2;
    }
    mix(d[0]);
    mix(d[1]);
  }

  return {
    fingerprintInto(v, out) {
      h1 = 0x9747b28c;
      h2 = 0x2f3a5d17;
      feed(v);
      out[0] = finish(h1, 0x5f);
      out[1] = finish(h2 ^ out[0], 0xa3);
    },
    fingerprintStateInto(state, out, extra = [], memoShared = true) {
      // Each thread's digest is memoised (most threads are shared with the parent state); its inside
      // is hashed flat (frames are small and change together).
      for (const t of state.threads) {
        if ((t as Digested)[digestKey] !== undefined) continue;
        h1 = 0x2545f491;
        h2 = 0x4f6cdd1d;
        feed(t);
        const d = [finish(h1, 0x33), finish(h2, 0x44)] as const;
        Object.defineProperty(t, digestKey, { value: d, enumerable: false });
      }
      h1 = 0x1b873593;
      h2 = 0x68e31da4;
      mix(state.threads.length);
      for (const t of state.threads) {
        const d = (t as Digested)[digestKey] as readonly [number, number];
        mix(d[0]);
        mix(d[1]);
      }
      if (memoShared) feedMemo(state.shared);
      else feed(state.shared);
      for (const x of extra) mix(x);
      out[0] = finish(h1, 0x5f);
      out[1] = finish(h2 ^ out[0], 0xa3);
    },
  };
}

/** 64-bit canonical fingerprint of `v` into `out`, with a hasher of its own (for one-off use). */
export function fingerprintInto(v: unknown, out: Uint32Array): void {
  newHasher().fingerprintInto(v, out);
}

/** 64-bit canonical fingerprint as 16 hex digits (for one-off use: tests, reports). */
export function fingerprint(v: unknown): string {
  const out = new Uint32Array(2);
  fingerprintInto(v, out);
  return (out[0] as number).toString(16).padStart(8, '0') + (out[1] as number).toString(16).padStart(8, '0');
}
