/**
 * The abstract, sequential meaning of user memory that the ALMOS model must refine (shared/spec/
 * almos-mkh.md, invariant 11): per-process private memory, FILE regions shared through their file,
 * fork copying the parent's memory, writes never visible across processes (except through a file).
 *
 * Pure functions on plain data, deterministic. A process's private memory is a list of candidate
 * contents (`snapshots`): exactly one normally. Fork is not atomic with respect to the parent's other
 * threads, but the child sees the parent's memory *at one instant* of the fork: its candidates are the
 * parent's memory at the start of the fork and after each store the parent makes before the fork
 * returns (several threads of one process may fork at the same time: each open fork window gets the
 * parent's stores). A load keeps the candidates that hold the value it saw, so once the child has read
 * a word written at one instant, a word it reads later must come from that same instant (word-wise
 * mixing of two instants is a refinement failure). A store writes every candidate. Regions being mapped
 * or unmapped may or may not be accessible until the call returns.
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

/** One possible content of a process's private memory: `vpn:offset` -> value; absent = 0 (fresh anonymous memory is zeroed). */
export type Snapshot = { [word: string]: number };

export interface AbstractProcess {
  alive: boolean;
  regions: Region[];
  /**
   * The contents the private memory may have: never empty, one except in a forked child whose loads
   * have not yet told at which instant of the fork it was copied. Sorted by `snapshotKey`, no
   * duplicates, no zero values (so equal sets are equal data).
   */
  snapshots: Snapshot[];
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

/** A canonical text of a snapshot (its words in key order): the sort and de-duplication key. */
export function snapshotKey(snap: Snapshot): string {
  return Object.keys(snap)
    .sort()
    .map((k) => `${k}=${snap[k]}`)
    .join(',');
}

/** Sorted by key, duplicates removed. */
function normalized(list: readonly Snapshot[]): Snapshot[] {
  const byKey = new Map<string, Snapshot>();
  for (const snap of list) byKey.set(snapshotKey(snap), snap);
  return [...byKey.keys()].sort().map((k) => byKey.get(k) as Snapshot);
}

function withWord(snap: Snapshot, k: string, value: number): Snapshot {
  const out = { ...snap };
  if (value === 0) delete out[k];
  else out[k] = value;
  return out;
}

const wordOf = (snap: Snapshot, k: string) => snap[k] ?? 0;
const vpnOfKey = (k: string) => Number(k.slice(0, k.indexOf(':')));

/** The values a load of a private word may return: the word in every candidate (sorted, unique). */
export function privateValues(p: AbstractProcess, vpn: number, offset: number): number[] {
  const k = key(vpn, offset);
  return [...new Set(p.snapshots.map((snap) => wordOf(snap, k)))].sort((a, b) => a - b);
}

function wordValues(m: AbstractMemory, p: AbstractProcess, r: Region, vpn: number, offset: number): number[] {
  if (r.file >= 0) return m.files[r.file]?.[vpn - r.base]?.[offset] ?? [0];
  return privateValues(p, vpn, offset);
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

/**
 * A load returned `value`: a FILE word becomes it; a private word keeps only the candidates holding
 * it (the instant of the fork the child was copied at is narrowed). Precondition: `value` was allowed.
 */
export function observe(m: AbstractMemory, pid: number, vpn: number, offset: number, value: number): void {
  const p = m.procs[pid] as AbstractProcess;
  const r = regionOf(p, vpn) as Region;
  if (r.file >= 0) {
    const page = (m.files[r.file] as number[][][])[vpn - r.base] as number[][];
    page[offset] = [value];
    return;
  }
  const k = key(vpn, offset);
  p.snapshots = p.snapshots.filter((snap) => wordOf(snap, k) === value);
}

/** The part of a parent snapshot a child inherits: the words of the child's private regions. */
function inherited(child: AbstractProcess, snap: Snapshot): Snapshot {
  const out: Snapshot = {};
  for (const [k, v] of Object.entries(snap)) {
    const r = regionOf(child, vpnOfKey(k));
    if (r !== undefined && r.file < 0) out[k] = v;
  }
  return out;
}

/**
 * A store of `value` by `pid` took effect: a FILE word becomes it; a private word is written in every
 * candidate, and every child whose fork is open gets the parent's memory after the store (one more
 * instant it may have been copied at).
 */
export function store(m: AbstractMemory, pid: number, vpn: number, offset: number, value: number): void {
  const p = m.procs[pid] as AbstractProcess;
  const r = regionOf(p, vpn) as Region;
  if (r.file >= 0) {
    observe(m, pid, vpn, offset, value);
    return;
  }
  const k = key(vpn, offset);
  p.snapshots = normalized(p.snapshots.map((snap) => withWord(snap, k, value)));
  for (const c of p.forking) {
    const child = m.procs[c];
    const cr = child === undefined ? undefined : regionOf(child, vpn);
    if (child === undefined || cr === undefined || cr.file >= 0) continue;
    child.snapshots = normalized([...child.snapshots, ...p.snapshots.map((snap) => inherited(child, snap))]);
  }
}

/** A process whose private memory holds `words` (absent words are 0). */
export function newProcess(regions: Region[], words: Snapshot = {}): AbstractProcess {
  const snap: Snapshot = {};
  for (const [k, v] of Object.entries(words)) if (v !== 0) snap[k] = v;
  return { alive: true, regions, snapshots: [snap], forking: [] };
}

/**
 * Fork by the thread `tid` of `parent`: the child gets the parent's regions (STACK regions only the
 * forking thread's) and, as its first candidates, the parent's memory now (the words of the regions it
 * inherits); the window stays open until `forkDone(parent, child)`, whatever other forks of the parent
 * open or close meanwhile.
 */
export function fork(m: AbstractMemory, parent: number, child: number, tid: number): void {
  const p = m.procs[parent] as AbstractProcess;
  const regions = p.regions.filter((r) => r.stackOf < 0 || r.stackOf === tid).map((r) => ({ ...r }));
  const c: AbstractProcess = { alive: true, regions, snapshots: [], forking: [] };
  c.snapshots = normalized(p.snapshots.map((snap) => inherited(c, snap)));
  m.procs[child] = c;
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

/** munmap returned: the region is gone and its private words are forgotten (in every candidate). */
export function unmapDone(m: AbstractMemory, pid: number, base: number): void {
  const p = m.procs[pid] as AbstractProcess;
  const r = p.regions.find((x) => x.base === base);
  if (r === undefined) return;
  p.regions = p.regions.filter((x) => x !== r);
  const inside = (k: string) => vpnOfKey(k) >= r.base && vpnOfKey(k) < r.base + r.size;
  p.snapshots = normalized(
    p.snapshots.map((snap) => Object.fromEntries(Object.entries(snap).filter(([k]) => !inside(k)))),
  );
}
