/**
 * The ghost records the ALMOS invariants rely on (not kernel state: the kernel keeps this information
 * in handler locals or nowhere). Each is written by the steps that change what it describes, in the
 * same atomic step, and declared in their footprints with the paths below.
 * - `ghost.held.<ppn>` (noUseAfterFree): the threads holding a page that no GPT may map, and why —
 *   `allocated` by ppmAllocPage for the thread it allocates for (an RPC_PMEM_GET_PAGES client holds
 *   the page from the server's allocation step on), released when a PTE maps it or it is freed;
 *   `unmapped` by removeVseg when it resets a PTE, released when it decides to keep or frees the page;
 *   `cowOld` by the corrected handleCow before its update stops mapping the old page, released when
 *   cowReleaseOld keeps or frees it. Holders are sorted by thread id; an empty list is deleted.
 * - `ghost.refcountPending.<ppn>` (refcountMatchesPtes): refcount minus the PTEs mapping the page,
 *   while a handler is between the two steps of one mapping change (+1: removeVseg reset a PTE and
 *   has not yet decremented refcount; -1: forkCopyRange wrote a PTE and has not yet incremented it).
 *   Absent = 0.
 * - `ghost.panic` (noKernelPanic): the first kernel panic or failed kernel assertion, as
 *   `<function>: <condition>`.
 */
import type { Access } from '../../engine/types.js';
import type { AlmosShared, HeldPage, HoldReason } from './state.js';

export const heldPath = (ppn: number): string => `ghost.held.${ppn}`;
export const pendingPath = (ppn: number): string => `ghost.refcountPending.${ppn}`;
export const panicPath = 'ghost.panic';

/** Thread `tid` holds `ppn` (`why`). */
export function hold(s: AlmosShared, ppn: number, tid: number, why: HoldReason): void {
  const list: HeldPage[] = [...(s.ghost.held[ppn] ?? []), { tid, why }];
  s.ghost.held[ppn] = list.sort((a, b) => a.tid - b.tid);
}

/** Drops the holds on `ppn` that `drop` selects. */
function dropHolds(s: AlmosShared, ppn: number, drop: (h: HeldPage) => boolean): void {
  const list = s.ghost.held[ppn];
  if (list === undefined) return;
  const rest = list.filter((h) => !drop(h));
  if (rest.length === 0) delete s.ghost.held[ppn];
  else if (rest.length !== list.length) s.ghost.held[ppn] = rest;
}

/** Thread `tid` no longer holds `ppn` (it kept it mapped elsewhere, or freed it). */
export const release = (s: AlmosShared, ppn: number, tid: number): void =>
  dropHolds(s, ppn, (h) => h.tid === tid);

/** A PTE maps `ppn`: its fresh allocation is no longer at risk of being lost. */
export const releaseAllocated = (s: AlmosShared, ppn: number): void =>
  dropHolds(s, ppn, (h) => h.why === 'allocated');

/** The thread a page-manager request works for: the RPC client (`holder` local), else the caller. */
export const holderOf = (f: { locals: { holder?: number } }, tid: number): number => f.locals.holder ?? tid;

/** A handler changed the PTEs mapping `ppn` by `-delta` and will change refcount by `-delta` later. */
export function addPending(s: AlmosShared, ppn: number, delta: number): void {
  const n = (s.ghost.refcountPending[ppn] ?? 0) + delta;
  if (n === 0) delete s.ghost.refcountPending[ppn];
  else s.ghost.refcountPending[ppn] = n;
}

/** Records a kernel panic or failed kernel assertion (the first one is kept). */
export function kernelPanic(s: AlmosShared, message: string): void {
  s.ghost.panic ??= message;
}

/** The footprint of a step that records a panic when `fails` (computed from the state before it). */
export const panicFootprint = (fails: boolean): Access[] => (fails ? [{ obj: panicPath, write: true }] : []);
