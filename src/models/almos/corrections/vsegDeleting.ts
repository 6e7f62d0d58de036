/**
 * The "vseg being deleted" mark of the corrected munmap (knob `munmapProtocol = detachFirst`,
 * munmapDetachFirst.ts; the documented munmap races page faults: docs/findings.md, M1/M2). munmap
 * marks the vseg's base in the reference copy (`Copy.deleting`, under the reference VSL write lock)
 * before it touches any copy; the mark goes away with the vseg itself, when removeVseg detaches it
 * from the reference VSL.
 * `vsegAlive` is the re-check done by getVseg's attach (under the local VSL write lock) and by the
 * public page faults (under the lock they map under): the vseg they hold is still in the reference VSL,
 * with the same bounds and type, and not being deleted. One remote read of the reference VSL.
 * Contract: every copy is cleared after the mark, under a lock the re-checking fault holds from its
 * re-check to its last PTE store, so a fault either maps before the clearing or does not map at all.
 */
import type { Access } from '../../../engine/types.js';
import type { AlmosShared, Vseg } from '../state.js';
import { copyPath, proc, r, vslPath, w } from '../util.js';

export const deletingPath = (pid: number, cxy: number) => `${copyPath(pid, cxy)}.deleting`;

/** The vseg `v` of process `pid` is still in the reference VSL and not being deleted. */
export function vsegAlive(s: AlmosShared, pid: number, v: Vseg): boolean {
  const ref = proc(s, pid).copy[proc(s, pid).ref];
  if (ref === null || ref === undefined) return false;
  if ((ref.deleting ?? []).includes(v.base)) return false;
  return ref.vsl.some((x) => x.base === v.base && x.size === v.size && x.type === v.type);
}

export function vsegAliveFootprint(s: AlmosShared, pid: number): Access[] {
  const ref = proc(s, pid).ref;
  return [r(vslPath(pid, ref)), r(deletingPath(pid, ref))];
}

/** Marks `base` as being deleted in the reference copy, if its VSL still holds it. */
export function markDeleting(s: AlmosShared, pid: number, base: number): void {
  const ref = proc(s, pid).copy[proc(s, pid).ref];
  if (ref === null || ref === undefined || !ref.vsl.some((x) => x.base === base)) return;
  const d = ref.deleting ?? [];
  if (!d.includes(base)) ref.deleting = [...d, base].sort((a, b) => a - b);
}

export const markFootprint = (s: AlmosShared, pid: number): Access[] => {
  const ref = proc(s, pid).ref;
  return [r(vslPath(pid, ref)), w(deletingPath(pid, ref))];
};

/** Drops the mark of `base` in copy `cxy` (the reference, when the vseg leaves its VSL). */
export function unmarkDeleting(s: AlmosShared, pid: number, cxy: number, base: number): void {
  const c = proc(s, pid).copy[cxy];
  if (c === null || c === undefined || c.deleting === undefined) return;
  const d = c.deleting.filter((x) => x !== base);
  if (d.length === 0) delete c.deleting;
  else c.deleting = d;
}
