/**
 * Visited set of exhaustive search: an open-addressing hash table from 64-bit fingerprints (two
 * uint32 halves) to dense state indices, plus growable int32 columns for per-state data (parent,
 * transition). Kept to a few typed arrays so a visited state costs tens of bytes, not an object.
 */

export class FingerprintTable {
  private keys: Uint32Array;
  private vals: Int32Array;
  private mask: number;
  size = 0;

  constructor(capacityLog2 = 6) {
    const cap = 1 << capacityLog2;
    this.keys = new Uint32Array(2 * cap);
    this.vals = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
  }

  private slot(hi: number, lo: number): number {
    let h = Math.imul(hi ^ (lo >>> 7), 0x9e3779b1) ^ lo;
    h ^= h >>> 16;
    return h & this.mask;
  }

  /** Index stored for fingerprint `fp`, or -1. */
  get(fp: Uint32Array): number {
    const hi = fp[0] as number;
    const lo = fp[1] as number;
    for (let i = this.slot(hi, lo); ; i = (i + 1) & this.mask) {
      const v = this.vals[i] as number;
      if (v === -1) return -1;
      if (this.keys[2 * i] === hi && this.keys[2 * i + 1] === lo) return v;
    }
  }

  /** Stores `index` for `fp`. Precondition: `fp` is absent. */
  add(fp: Uint32Array, index: number): void {
    if ((this.size + 1) * 4 > this.vals.length * 3) this.grow();
    this.put(fp[0] as number, fp[1] as number, index);
    this.size++;
  }

  private put(hi: number, lo: number, index: number): void {
    let i = this.slot(hi, lo);
    while (this.vals[i] !== -1) i = (i + 1) & this.mask;
    this.keys[2 * i] = hi;
    this.keys[2 * i + 1] = lo;
    this.vals[i] = index;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    const cap = oldVals.length * 2;
    this.keys = new Uint32Array(2 * cap);
    this.vals = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    for (let i = 0; i < oldVals.length; i++) {
      const v = oldVals[i] as number;
      if (v !== -1) this.put(oldKeys[2 * i] as number, oldKeys[2 * i + 1] as number, v);
    }
  }

  get bytes(): number {
    return this.keys.byteLength + this.vals.byteLength;
  }
}

export class IntColumn {
  private data = new Int32Array(64);
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }

  at(i: number): number {
    return this.data[i] as number;
  }

  get bytes(): number {
    return this.data.byteLength;
  }
}
