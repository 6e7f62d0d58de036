/**
 * Scenarios: the exact situation a user worries about, as JSON — clusters and cores, processes with
 * their reference cluster, vsegs (type, range, placement), initial page contents, and user threads
 * with their operations. `parseScenario` validates everything with one-line UsageErrors naming the
 * offending field. Addresses (`va`) are word addresses: vpn = va div wordsPerPage.
 */
import { UsageError } from '../../engine/errors.js';
import { parseJson, scenarioJsonDepth, showJson } from '../../engine/json.js';
import type { VsegType } from './state.js';

export type Op =
  | { op: 'load'; va: number }
  | { op: 'store'; va: number; value: number }
  | { op: 'fork'; cxy: number; ops: Op[] }
  | { op: 'exit' }
  | { op: 'mmap'; type: 'ANON' | 'REMOTE' | 'FILE'; base: number; size: number; cxy: number; file: number }
  | { op: 'munmap'; base: number };

export interface ScenarioVseg {
  type: Exclude<VsegType, 'STACK'>;
  base: number;
  size: number;
  /** ANON/REMOTE placement cluster. */
  cxy?: number;
  /** FILE/CODE: file index. */
  file?: number;
  writable?: boolean;
}

export interface ScenarioThread {
  cxy: number;
  core?: number;
  stack?: { base: number; size: number };
  ops: Op[];
}

export interface ScenarioProcess {
  ref: number;
  vsegs: ScenarioVseg[];
  /** Initial mappings in the reference GPT, with their content (DATA/ANON/REMOTE vsegs). */
  pages?: Array<{ vpn: number; content: number[] }>;
  threads: ScenarioThread[];
}

export interface Scenario {
  clusters: number;
  coresPerCluster: number;
  framesPerCluster: number;
  wordsPerPage: number;
  /** Size of each virtual address space in pages. */
  vpnCount: number;
  /** File mappers: home cluster and page contents. */
  files?: Array<{ cxy: number; pages: number[][] }>;
  processes: ScenarioProcess[];
}

type Obj = { [k: string]: unknown };

class Checker {
  constructor(readonly where: string) {}
  fail(msg: string): never {
    throw new UsageError(this.where === '' ? `scenario: ${msg}` : `scenario: ${this.where}: ${msg}`);
  }
  at(key: string | number): Checker {
    if (typeof key === 'number') return new Checker(`${this.where}[${key}]`);
    return new Checker(this.where === '' ? key : `${this.where}.${key}`);
  }
}

function obj(v: unknown, c: Checker): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) c.fail('expected an object');
  return v as Obj;
}
function arr(v: unknown, c: Checker): unknown[] {
  if (!Array.isArray(v)) c.fail('expected an array');
  return v as unknown[];
}
function int(v: unknown, c: Checker, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) c.fail(`expected an integer, got ${showJson(v)}`);
  if ((v as number) < min || (v as number) > max) c.fail(`${v} is out of range ${min}..${max}`);
  return v as number;
}
function known(o: Obj, c: Checker, keys: readonly string[]): void {
  for (const k of Object.keys(o))
    if (!keys.includes(k)) c.fail(`unknown field '${k}' (fields: ${keys.join(', ')})`);
}

export function parseScenario(text: string): Scenario {
  return checkScenario(parseJson(text, 'scenario', scenarioJsonDepth));
}

export function checkScenario(raw: unknown): Scenario {
  const c = new Checker('');
  const o = obj(raw, c);
  const top = [
    'clusters',
    'coresPerCluster',
    'framesPerCluster',
    'wordsPerPage',
    'vpnCount',
    'files',
    'processes',
  ];
  known(o, c, top);
  const clusters = int(o.clusters, c.at('clusters'), 1, 4);
  const cores = int(o.coresPerCluster, c.at('coresPerCluster'), 1, 4);
  const frames = int(o.framesPerCluster, c.at('framesPerCluster'), 1, 64);
  const words = int(o.wordsPerPage ?? 1, c.at('wordsPerPage'), 1, 4);
  const vpnCount = int(o.vpnCount ?? 16, c.at('vpnCount'), 1, 64);
  const dims = { clusters, cores, frames, words, vpnCount };
  const files = arr(o.files ?? [], c.at('files')).map((f, i) => checkFile(f, c.at('files').at(i), dims));
  const ps = arr(o.processes, c.at('processes'));
  if (ps.length < 1 || ps.length > 4) c.at('processes').fail('expected 1 to 4 processes');
  const processes = ps.map((p, i) => checkProcess(p, c.at('processes').at(i), dims, files));
  const perCluster = new Array(clusters).fill(0);
  for (const p of processes) for (const t of p.threads) perCluster[t.cxy]++;
  perCluster.forEach((n, cxy) => {
    if (n > cores) c.fail(`cluster ${cxy} runs ${n} threads but has only ${cores} cores`);
  });
  if (perCluster.every((n) => n === 0)) c.fail('no thread');
  const sc = {
    clusters,
    coresPerCluster: cores,
    framesPerCluster: frames,
    wordsPerPage: words,
    vpnCount,
    files,
    processes,
  };
  checkInitialFrames(sc, frames);
  return sc;
}

/**
 * The cluster whose frame holds an initial page of `vseg` (init.ts allocates it there): a DATA page
 * in cluster vpn mod clusters (the DATA distribution), an ANON/REMOTE page in its vseg's cluster.
 */
export function initialPageCluster(
  vseg: { type: string; cxy?: number },
  vpn: number,
  clusters: number,
): number {
  return vseg.type === 'DATA' ? vpn % clusters : (vseg.cxy as number);
}

/**
 * Every cluster has a frame for each initial page it holds (file pages in their mapper's cluster,
 * mapped pages where `initialPageCluster` puts them) when it has `framesPerCluster` frames. Called by
 * `checkScenario` and again by the model when a `framesPerCluster` setting overrides the scenario's.
 */
export function checkInitialFrames(sc: Scenario, framesPerCluster: number): void {
  const used: number[] = new Array(sc.clusters).fill(0);
  for (const f of sc.files ?? []) used[f.cxy] = (used[f.cxy] as number) + f.pages.length;
  for (const p of sc.processes) {
    for (const pg of p.pages ?? []) {
      const v = p.vsegs.find((s) => pg.vpn >= s.base && pg.vpn < s.base + s.size) as ScenarioVseg;
      const cxy = initialPageCluster(v, pg.vpn, sc.clusters);
      used[cxy] = (used[cxy] as number) + 1;
    }
  }
  used.forEach((n, cxy) => {
    if (n > framesPerCluster) {
      throw new UsageError(
        `scenario: cluster ${cxy} holds ${n} initial pages but has only ${framesPerCluster} frame${framesPerCluster === 1 ? '' : 's'} (framesPerCluster)`,
      );
    }
  });
}

type Dims = { clusters: number; cores: number; frames: number; words: number; vpnCount: number };
type File = { cxy: number; pages: number[][] };

function checkFile(v: unknown, c: Checker, d: Dims): File {
  const o = obj(v, c);
  known(o, c, ['cxy', 'pages']);
  const pages = arr(o.pages, c.at('pages')).map((p, i) => content(p, c.at('pages').at(i), d));
  if (pages.length === 0) c.at('pages').fail('a file needs at least one page');
  return { cxy: int(o.cxy, c.at('cxy'), 0, d.clusters - 1), pages };
}

function content(v: unknown, c: Checker, d: Dims): number[] {
  const a = arr(v, c).map((x, i) => int(x, c.at(i), -1_000_000, 1_000_000));
  if (a.length !== d.words) c.fail(`expected ${d.words} words, got ${a.length}`);
  return a;
}

function checkProcess(v: unknown, c: Checker, d: Dims, files: File[]): ScenarioProcess {
  const o = obj(v, c);
  known(o, c, ['ref', 'vsegs', 'pages', 'threads']);
  const ref = int(o.ref, c.at('ref'), 0, d.clusters - 1);
  const vsegs = arr(o.vsegs ?? [], c.at('vsegs')).map((x, i) => checkVseg(x, c.at('vsegs').at(i), d, files));
  const ranges: Array<[number, number, string]> = vsegs.map((x, i) => [x.base, x.size, `vsegs[${i}]`]);
  const threads = arr(o.threads, c.at('threads')).map((t, i) =>
    checkThread(t, c.at('threads').at(i), d, files),
  );
  threads.forEach((t, i) => {
    if (t.stack) ranges.push([t.stack.base, t.stack.size, `threads[${i}].stack`]);
  });
  noOverlap(ranges, c);
  const listed = new Set<number>();
  const pages = arr(o.pages ?? [], c.at('pages')).map((x, i) => {
    const pc = c.at('pages').at(i);
    const p = obj(x, pc);
    known(p, pc, ['vpn', 'content']);
    const vpn = int(p.vpn, pc.at('vpn'), 0, d.vpnCount - 1);
    if (listed.has(vpn)) pc.at('vpn').fail(`vpn ${vpn} is listed twice (one initial page per vpn)`);
    listed.add(vpn);
    const vs = vsegs.find((s) => vpn >= s.base && vpn < s.base + s.size);
    if (!vs || !['DATA', 'ANON', 'REMOTE'].includes(vs.type))
      pc.fail(`vpn ${vpn} is not in a DATA/ANON/REMOTE vseg`);
    return { vpn, content: content(p.content, pc.at('content'), d) };
  });
  return { ref, vsegs, pages, threads };
}

function noOverlap(ranges: Array<[number, number, string]>, c: Checker): void {
  for (const [b1, s1, n1] of ranges) {
    for (const [b2, s2, n2] of ranges) {
      if (n1 < n2 && b1 < b2 + s2 && b2 < b1 + s1) c.fail(`${n1} and ${n2} overlap`);
    }
  }
}

const vsegTypes = ['CODE', 'DATA', 'ANON', 'REMOTE', 'FILE'] as const;

function checkVseg(v: unknown, c: Checker, d: Dims, files: File[]): ScenarioVseg {
  const o = obj(v, c);
  known(o, c, ['type', 'base', 'size', 'cxy', 'file', 'writable']);
  const type = o.type as ScenarioVseg['type'];
  if (!vsegTypes.includes(type))
    c.at('type').fail(`expected one of ${vsegTypes.join('|')}, got ${showJson(o.type)}`);
  const base = int(o.base, c.at('base'), 0, d.vpnCount - 1);
  const size = int(o.size, c.at('size'), 1, d.vpnCount - base);
  const out: ScenarioVseg = { type, base, size };
  if (type === 'ANON' || type === 'REMOTE') out.cxy = int(o.cxy, c.at('cxy'), 0, d.clusters - 1);
  if (type === 'FILE' || type === 'CODE') {
    out.file = int(o.file, c.at('file'), 0, files.length - 1);
    const fp = (files[out.file] as File).pages.length;
    if (size > fp) c.at('size').fail(`file ${out.file} has only ${fp} pages`);
  }
  if (o.writable !== undefined) {
    if (typeof o.writable !== 'boolean') c.at('writable').fail('expected true or false');
    if (type === 'CODE' && o.writable) c.at('writable').fail('CODE vsegs are read-only');
    out.writable = o.writable as boolean;
  }
  return out;
}

function checkThread(v: unknown, c: Checker, d: Dims, files: File[]): ScenarioThread {
  const o = obj(v, c);
  known(o, c, ['cxy', 'core', 'stack', 'ops']);
  const t: ScenarioThread = {
    cxy: int(o.cxy, c.at('cxy'), 0, d.clusters - 1),
    ops: checkOps(o.ops, c.at('ops'), d, files),
  };
  if (o.core !== undefined) t.core = int(o.core, c.at('core'), 0, d.cores - 1);
  if (o.stack !== undefined) {
    const sc = c.at('stack');
    const so = obj(o.stack, sc);
    known(so, sc, ['base', 'size']);
    const base = int(so.base, sc.at('base'), 0, d.vpnCount - 1);
    t.stack = { base, size: int(so.size, sc.at('size'), 1, d.vpnCount - base) };
  }
  return t;
}

function checkOps(v: unknown, c: Checker, d: Dims, files: File[]): Op[] {
  const ops = arr(v, c);
  if (ops.length > 64) c.fail('at most 64 operations per thread');
  return ops.map((x, i) => checkOp(x, c.at(i), d, files));
}

function checkOp(v: unknown, c: Checker, d: Dims, files: File[]): Op {
  const o = obj(v, c);
  const vaMax = d.vpnCount * d.words - 1;
  switch (o.op) {
    case 'load':
      known(o, c, ['op', 'va']);
      return { op: 'load', va: int(o.va, c.at('va'), 0, vaMax) };
    case 'store':
      known(o, c, ['op', 'va', 'value']);
      return {
        op: 'store',
        va: int(o.va, c.at('va'), 0, vaMax),
        value: int(o.value, c.at('value'), -1e6, 1e6),
      };
    case 'fork':
      known(o, c, ['op', 'cxy', 'ops']);
      return {
        op: 'fork',
        cxy: int(o.cxy, c.at('cxy'), 0, d.clusters - 1),
        ops: checkOps(o.ops, c.at('ops'), d, files),
      };
    case 'exit':
      known(o, c, ['op']);
      return { op: 'exit' };
    case 'mmap': {
      known(o, c, ['op', 'type', 'base', 'size', 'cxy', 'file']);
      const type = o.type as 'ANON' | 'REMOTE' | 'FILE';
      if (!['ANON', 'REMOTE', 'FILE'].includes(type)) c.at('type').fail('expected ANON, REMOTE or FILE');
      const base = int(o.base, c.at('base'), 0, d.vpnCount - 1);
      const size = int(o.size, c.at('size'), 1, d.vpnCount - base);
      const cxy = type === 'FILE' ? -1 : int(o.cxy, c.at('cxy'), 0, d.clusters - 1);
      const file = type === 'FILE' ? int(o.file, c.at('file'), 0, files.length - 1) : -1;
      return { op: 'mmap', type, base, size, cxy, file };
    }
    case 'munmap':
      known(o, c, ['op', 'base']);
      return { op: 'munmap', base: int(o.base, c.at('base'), 0, d.vpnCount - 1) };
    default:
      return c.at('op').fail(`unknown operation ${showJson(o.op)} (load, store, fork, exit, mmap, munmap)`);
  }
}
