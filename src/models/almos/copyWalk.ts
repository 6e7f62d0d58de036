/**
 * The walk of a process's copies by the global operations that run something in every copy's cluster
 * (munmap's globalDeleteVseg, exit; shared/spec/almos-mkh.md "removeVseg"): the order of the owner's
 * copies list with the reference moved first or last (knob `copyOrder`), and removeVseg run in one
 * copy's cluster (a direct call there, RPC_VMM_REMOVE_VSEG from elsewhere).
 */
import { call } from '../../engine/types.js';
import type { Knobs } from './knobs.js';
import { rpc } from './rpc.js';

/** The copies of the walk: list order, the reference first (`refFirst`) or last (`refLast`). */
export function copyWalk(copies: readonly number[], ref: number, order: Knobs['copyOrder']): number[] {
  const others = copies.filter((c) => c !== ref);
  if (!copies.includes(ref)) return others;
  return order === 'refFirst' ? [ref, ...others] : [...others, ref];
}

/** Runs removeVseg(pid, base) in cluster `cxy`: directly when it is the running cluster, else by RPC. */
export function removeIn(local: number, cxy: number, pid: number, base: number, next: string) {
  return cxy === local
    ? call('removeVseg', { pid, base }, next)
    : rpc(cxy, 'REMOVE_VSEG', { pid, base }, next);
}
