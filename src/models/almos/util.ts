/**
 * Small helpers shared by the ALMOS procedures: path resolution for lock objects, the running
 * thread's cluster and process, copy lookup, footprint builders, vseg lookup, page placement and
 * the file mapper's pages, the VSL lock procedures of the generation.
 */
import type { Access, ReadCtx } from '../../engine/types.js';
import { clusterFramePaths } from '../../hw/memory.js';
import type { AlmosShared, Copy, FileMapper, Process, ThreadDesc, Vseg } from './state.js';

/** The object at a dotted path of the shared state (locks are named by their path). */
export function at<T>(s: AlmosShared, path: string): T {
  let o: unknown = s;
  for (const k of path.split('.')) o = (o as Record<string, unknown>)[k];
  if (o === undefined) throw new Error(`almos: no object at '${path}'`);
  return o as T;
}

/** The descriptor of the running thread (in a step, its guard or its footprint). */
export const me = (s: AlmosShared, ctx: ReadCtx): ThreadDesc => s.thread[ctx.tid] as ThreadDesc;
/** `local_cxy`: the cluster the running thread executes in. */
export const here = (s: AlmosShared, ctx: ReadCtx): number => me(s, ctx).cxy;
export const proc = (s: AlmosShared, pid: number): Process => s.proc[pid] as Process;

export function copyIn(s: AlmosShared, pid: number, cxy: number): Copy {
  const c = proc(s, pid).copy[cxy];
  if (c === null || c === undefined) throw new Error(`almos: process ${pid} has no copy in cluster ${cxy}`);
  return c;
}

export const copyPath = (pid: number, cxy: number) => `proc.${pid}.copy.${cxy}`;
export const gptPath = (pid: number, cxy: number) => `proc.${pid}.copy.${cxy}.gpt`;
export const ptePath = (pid: number, cxy: number, vpn: number) => `proc.${pid}.copy.${cxy}.gpt.${vpn}`;
export const vslPath = (pid: number, cxy: number) => `proc.${pid}.copy.${cxy}.vsl`;
export const gptLockPath = (pid: number, cxy: number) => `proc.${pid}.copy.${cxy}.gptLock`;
export const vslLockPath = (pid: number, cxy: number) => `proc.${pid}.copy.${cxy}.vslLock`;

export const r = (obj: string): Access => ({ obj, write: false });
export const w = (obj: string): Access => ({ obj, write: true });

export function findVseg(vsl: readonly Vseg[], vpn: number): Vseg | undefined {
  return vsl.find((v) => vpn >= v.base && vpn < v.base + v.size);
}

/** `target(vpn)` of a DATA vseg: `activeClusters[vpn mod N]` (all clusters are active). */
export const dataTarget = (s: AlmosShared, vpn: number): number => vpn % s.clusters;

/** Where a page of `vseg` at `vpn` is allocated, for a fault handled in cluster `local`. */
export function placement(s: AlmosShared, vseg: Vseg, vpn: number, local: number): number {
  switch (vseg.type) {
    case 'DATA':
      return dataTarget(s, vpn);
    case 'ANON':
    case 'REMOTE':
      return vseg.cxy;
    case 'STACK':
    case 'CODE':
      return local;
    case 'FILE':
      return (s.files[vseg.file] as { cxy: number }).cxy;
  }
}

/** Paths of every page descriptor of cluster `cxy` (what the allocator scans). */
export const clusterPages = (s: AlmosShared, cxy: number): string[] => clusterFramePaths(s, cxy);

/** The page a FILE vseg maps at `v` (no allocation); CODE pages are copied from it. */
export const mapperPage = (s: AlmosShared, vs: Vseg, v: number): number =>
  (s.files[vs.file] as FileMapper).pages[v - vs.base] as number;

/** VSL lock procedures of the generation: [read acquire, read release, write acquire, write release]. */
export function vslLocks(s: AlmosShared): [string, string, string, string] {
  return s.knobs.generation === 'G1'
    ? ['remoteRwlockRdAcquire', 'remoteRwlockRdRelease', 'remoteRwlockWrAcquire', 'remoteRwlockWrRelease']
    : [
        'remoteQueuelockAcquire',
        'remoteQueuelockRelease',
        'remoteQueuelockAcquire',
        'remoteQueuelockRelease',
      ];
}
