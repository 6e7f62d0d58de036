/**
 * The frame locals shared by handleCow (G1) and handleCowG2, read through one set of accessors:
 * `pid`, `vpn`, `vseg` (from getVseg), `gcxy` (the cluster of G: gpt(L) for a private vseg, gpt(R)
 * for a public one), `old` (the PTE read under the lock) and the busylock path of its page; and the
 * corrected protocol's hold on the old page (ghost.ts).
 */
import type { Access } from '../../engine/types.js';
import type { Pte } from '../../hw/pte.js';
import { heldPath, hold } from './ghost.js';
import type { AlmosShared, Vseg } from './state.js';

export type CowFrame = { locals: { [k: string]: unknown } };

export const pid = (f: CowFrame) => f.locals.pid as number;
export const vpn = (f: CowFrame) => f.locals.vpn as number;
export const vseg = (f: CowFrame) => f.locals.vseg as unknown as Vseg;
export const gcxy = (f: CowFrame) => f.locals.gcxy as number;
export const old = (f: CowFrame) => f.locals.old as unknown as Pte;
export const oldLock = (f: CowFrame) => `page.${old(f).ppn}.lock`;
/** The corrected protocol (knob `cowProtocol`), see docs/findings.md C1-C5. */
export const corrected = (s: AlmosShared) => s.knobs.cowProtocol === 'decrementAfterUpdate';
/** The corrected protocol copied the page: the old one is settled after step 5 (cowReleaseOld). */
const settles = (s: AlmosShared, f: CowFrame) => corrected(s) && f.locals.ppn !== old(f).ppn;
/** After step 5, `settle` on the corrected copy path (the documented path has no such step), else `next`. */
export const afterUpdateTo = (s: AlmosShared, f: CowFrame, next: string) => (settles(s, f) ? 'settle' : next);
/** Before step 5 on the corrected copy path: thread `tid` holds the old page until it settles it. */
export function holdOld(s: AlmosShared, f: CowFrame, tid: number): void {
  if (settles(s, f)) hold(s, old(f).ppn, tid, 'cowOld');
}
export const holdsOldFootprint = (s: AlmosShared, f: CowFrame): Access[] =>
  settles(s, f) ? [{ obj: heldPath(old(f).ppn), write: true }] : [];
