/**
 * The abstract, sequential meaning of user memory that the ALMOS model must refine (shared/spec/
 * almos-mkh.md, invariant 11): per-process private memory, FILE regions shared through their file,
 * fork copying the parent's memory, writes never visible across processes (except through a file).
 *
 * Pure functions on plain data. Each word holds the set of values a load may return: a single value
 * normally; during a fork the child's word may also take any value the parent stores before the fork
 * returns (fork is not atomic with respect to the parent's other threads: the child sees, per word,
 * the value at the start of the fork or a value written during it). Several threads of one process may
 * fork at the same time: each open fork window is widened by the parent's stores. A load narrows the set
 * to what it saw. Regions being mapped or unmapped may or may not be accessible until the call returns.
 */

export type RegionState = 'mapped' | 'mapping' | 'unmapping';

export interface Region {
  base: number;
  size: number;
  writable: boolean;
  /** File index for FILE regions (shared memory), -1 for private memory. */
  file: number;
  /** STACK regions: the thread owning the stack (only the forking thread's stack is inherited). */
  stackOf: number;
  state: RegionState;
}

export interface AbstractProcess {
  alive: boolean;
  regions: Region[];
  /** `vpn:offset` -> allowed values; absent = [0] (fresh anonymous memory is zeroed). */
  words: { [word: string]: number[] };
  /** Pids of the children being forked (one per fork in progress, in fork order); empty = none. */
  forking: number[];
}

export interface AbstractMemory {
  procs: AbstractProcess[];
  /** files[f][page][offset] -> allowed values. */
  files: number[][][][];
}

export type Expectation =
  | { readonly kind: 'value'; readonly allowed: readonly number[] }
  | { readonly kind: 'fault' }
  | { readonly kind: 'either'; readonly allowed: readonly number[] };

const key = (vpn: number, offset: number) => `${vpn}:${offset}`;

export function regionOf(p: AbstractProcess, vpn: number): Region | undefined {
  return p.regions.find((r) => vpn >= r.base && vpn < r.base + r.size);
}

function wordValues(m: AbstractMemory, p: AbstractProcess, r: Region, vpn: number, offset: number): number[] {
  if (r.file >= 0) return m.files[r.file]?.[vpn - r.base]?.[offset] ?? [0];
  return p.words[key(vpn, offset)] ?? [0];
}

/** What a load (or, with `write`, a store) by process `pid` at (vpn, offset) may observe. */
export function expect(
  m: AbstractMemory,
  pid: number,
  vpn: number,
  offset: number,
  write: boolean,
): Expectation {
  const p = m.procs[pid];
  const r = p === undefined ? undefined : regionOf(p, vpn);
  if (p === undefined || !p.alive || r === undefined || (write && !r.writable)) return { kind: 'fault' };
  const allowed = wordValues(m, p, r, vpn, offset);
  return r.state === 'mapped' ? { kind: 'value', allowed } : { kind: 'either', allowed };
}

/** A load returned `value`: narrows the word to it. Precondition: `value` was allowed. */
export function observe(m: AbstractMemory, pid: number, vpn: number, offset: number, value: number): void {
  const p = m.procs[pid] as AbstractProcess;
  const r = regionOf(p, vpn) as Region;
  if (r.file >= 0) {
    const page = (m.files[r.file] as number[][][])[vpn - r.base] as number[][];
    page[offset] = [value];
  } else {
    p.words[key(vpn, offset)] = [value];
  }
}

/** A store of `value` by `pid` took effect. Also widens the word of every child being forked. */
export function store(m: AbstractMemory, pid: number, vpn: number, offset: number, value: number): void {
  observe(m, pid, vpn, offset, value);
  const p = m.procs[pid] as AbstractProcess;
  if ((regionOf(p, vpn) as Region).file >= 0) return;
  const k = key(vpn, offset);
  for (const c of p.forking) {
    const child = m.procs[c];
    const cr = child === undefined ? undefined : regionOf(child, vpn);
    if (child === undefined || cr === undefined || cr.file >= 0) continue;
    const now = child.words[k] ?? [0];
    if (!now.includes(value)) child.words[k] = [...now, value].sort((a, b) => a - b);
  }
}

export function newProcess(regions: Region[], words: { [word: string]: number[] } = {}): AbstractProcess {
  return { alive: true, regions, words, forking: [] };
}

/**
 * Fork by the thread `tid` of `parent`: the child gets the parent's regions (STACK regions only the
 * forking thread's) and a copy of its words; the window stays open until `forkDone(parent, child)`,
 * whatever other forks of the parent open or close meanwhile.
 */
export function fork(m: AbstractMemory, parent: number, child: number, tid: number): void {
  const p = m.procs[parent] as AbstractProcess;
  const regions = p.regions.filter((r) => r.stackOf < 0 || r.stackOf === tid).map((r) => ({ ...r }));
  const words: { [word: string]: number[] } = {};
  for (const [k, v] of Object.entries(p.words)) words[k] = [...v];
  m.procs[child] = newProcess(regions, words);
  p.forking = [...p.forking, child];
}

/** The fork of `child` by `parent` returned: its window closes (the parent's other forks stay open). */
export function forkDone(m: AbstractMemory, parent: number, child: number): void {
  const p = m.procs[parent] as AbstractProcess;
  p.forking = p.forking.filter((c) => c !== child);
}

/** The child's stack region is owned by the child's main thread. */
export function adoptStack(m: AbstractMemory, child: number, fromTid: number, toTid: number): void {
  for (const r of (m.procs[child] as AbstractProcess).regions) if (r.stackOf === fromTid) r.stackOf = toTid;
}

export function exit(m: AbstractMemory, pid: number): void {
  (m.procs[pid] as AbstractProcess).alive = false;
}

export function mapStart(m: AbstractMemory, pid: number, region: Region): void {
  (m.procs[pid] as AbstractProcess).regions.push({ ...region, state: 'mapping' });
}

export function mapDone(m: AbstractMemory, pid: number, base: number): void {
  const r = (m.procs[pid] as AbstractProcess).regions.find((x) => x.base === base);
  if (r) r.state = 'mapped';
}

export function unmapStart(m: AbstractMemory, pid: number, base: number): void {
  const r = (m.procs[pid] as AbstractProcess).regions.find((x) => x.base === base);
  if (r) r.state = 'unmapping';
}

/** munmap returned: the region is gone and its private words are forgotten. */
export function unmapDone(m: AbstractMemory, pid: number, base: number): void {
  const p = m.procs[pid] as AbstractProcess;
  const r = p.regions.find((x) => x.base === base);
  if (r === undefined) return;
  p.regions = p.regions.filter((x) => x !== r);
  for (const k of Object.keys(p.words)) {
    const vpn = Number(k.split(':')[0]);
    if (vpn >= r.base && vpn < r.base + r.size) delete p.words[k];
  }
}
