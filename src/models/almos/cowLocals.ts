/**
 * The frame locals shared by handleCow (G1) and handleCowG2, and their accessors: `pid`, `vpn` in;
 * `vseg` (from getVseg), `gcxy` (the cluster of G: gpt(L) for a private vseg, gpt(R) for a public
 * one), `old` (the PTE read under the lock) and the busylock path of its page, `forks` (as read under
 * the busylock), `ppn` (the page the PTE maps after the COW), `attr` (its new attributes), `result`
 * (an early exit's; else NON_FATAL).
 */
import type { Frame } from '../../engine/types.js';
import type { Pte } from '../../hw/pte.js';
import type { Vseg } from './state.js';
import type { ExceptionResult } from './user.js';

export type CowLocals = {
  pid: number;
  vpn: number;
  vseg: Vseg | null;
  gcxy: number;
  old: Pte;
  forks: number;
  ppn: number;
  attr: number;
  result?: ExceptionResult;
};
export type CowFrame = Frame<CowLocals>;

export const pid = (f: CowFrame) => f.locals.pid;
export const vpn = (f: CowFrame) => f.locals.vpn;
/** The vseg, once getVseg found it. */
export const vseg = (f: CowFrame) => f.locals.vseg as Vseg;
export const gcxy = (f: CowFrame) => f.locals.gcxy;
export const old = (f: CowFrame) => f.locals.old;
export const oldLock = (f: CowFrame) => `page.${old(f).ppn}.lock`;
