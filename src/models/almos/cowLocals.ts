/**
 * The frame locals shared by handleCow (G1) and handleCowG2, read through one set of accessors:
 * `pid`, `vpn`, `vseg` (from getVseg), `gcxy` (the cluster of G: gpt(L) for a private vseg, gpt(R)
 * for a public one), `old` (the PTE read under the lock) and the busylock path of its page.
 */
import type { Pte } from '../../hw/pte.js';
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
/** After step 5, `settle` on the corrected copy path (the documented path has no such step), else `next`. */
export const afterUpdateTo = (s: AlmosShared, f: CowFrame, next: string) =>
  corrected(s) && f.locals.ppn !== old(f).ppn ? 'settle' : next;
