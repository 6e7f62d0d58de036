/**
 * `vmm_global_update_pte(process, vpn, attr, ppn)` (shared/spec/almos-mkh.md, "globalUpdatePte"):
 * walks the owner's copies list `proc(pid).copies` in list order and, for each copy, writes the PTE
 * with ONE remote store. No GPT lock is taken and the walk is not atomic across copies. Knob
 * `updateTouchesUnmapped`: an entry unmapped in a copy is written too, or skipped.
 * The store writes `attr` as given (callers pass it without LOCKED), so in G2 the store into the
 * reference entry is the `set_pte` that releases the PTE lock taken by handleCowG2 (once: the caller
 * must not unlock it again).
 * Corrected variant (not in the kernel): corrections/updateRefLast.ts (the reference entry stored last).
 * Locals in: `pid`, `vpn`, `attr`, `ppn`. Returns null.
 * `rpcVmmGlobalUpdatePte` is the RPC_VMM_GLOBAL_UPDATE_PTE handler (runs in the reference cluster).
 */
import type { Frame, Procedure, Step } from '../../engine/types.js';
import { call, ret } from '../../engine/types.js';
import { isMapped } from '../../hw/pte.js';
import { replacePte, replacePteFootprint } from './gpt.js';
import type { AlmosShared } from './state.js';
import { proc, ptePath, r } from './util.js';

/** Locals: `pid`, `vpn`, `attr`, `ppn` in; `i` (the walk's position, absent = 0). */
export type GlobalUpdateLocals = { pid: number; vpn: number; attr: number; ppn: number; i?: number };
type P = Procedure<AlmosShared, GlobalUpdateLocals>;
type F = Frame<GlobalUpdateLocals>;

const pid = (f: F) => f.locals.pid;
const vpn = (f: F) => f.locals.vpn;
const index = (f: F) => f.locals.i ?? 0;

/** The clusters the walk stores into, in walk order: the owner's copies list. */
export type WalkOrder = (s: AlmosShared, pid: number) => readonly number[];
const copiesList: WalkOrder = (s, p) => proc(s, p).copies;

/** Does the walk write the entry of copy `cxy`? */
function touches(s: AlmosShared, p: number, cxy: number, v: number): boolean {
  const copy = proc(s, p).copy[cxy];
  if (copy === null || copy === undefined) return false;
  return s.knobs.updateTouchesUnmapped || isMapped(copy.gpt[v]);
}

/** The loop step: one remote store into the next copy of the walk (or nothing when it is skipped). */
export const updateCopy = (walkOrder: WalkOrder): Step<AlmosShared, GlobalUpdateLocals> => ({
  footprint: (s, f) => {
    const cxy = walkOrder(s, pid(f))[index(f)];
    const reads = [r(`proc.${pid(f)}.copies`), r(`proc.${pid(f)}.ref`)];
    if (cxy === undefined) return reads;
    return [
      ...reads,
      r(ptePath(pid(f), cxy, vpn(f))),
      ...(touches(s, pid(f), cxy, vpn(f)) ? replacePteFootprint(s, pid(f), cxy, vpn(f), f.locals.ppn) : []),
    ];
  },
  run(s, f) {
    const copies = walkOrder(s, pid(f));
    const i = index(f);
    const cxy = copies[i];
    if (cxy === undefined) return ret();
    if (touches(s, pid(f), cxy, vpn(f))) {
      replacePte(s, pid(f), cxy, vpn(f), { attr: f.locals.attr, ppn: f.locals.ppn });
    }
    f.locals.i = i + 1;
    return i + 1 < copies.length ? 'updateCopy' : ret();
  },
});

export const globalUpdatePte: P = {
  name: 'globalUpdatePte',
  entry: 'updateCopy',
  steps: { updateCopy: updateCopy(copiesList) },
};

/** RPC_VMM_GLOBAL_UPDATE_PTE handler, run by the reference cluster's server. Locals as above. */
export const rpcVmmGlobalUpdatePte: P = {
  name: 'rpcVmmGlobalUpdatePte',
  entry: 'update',
  steps: {
    update: {
      footprint: () => [],
      run: (_s, f) =>
        call(
          'globalUpdatePte',
          { pid: pid(f), vpn: vpn(f), attr: f.locals.attr, ppn: f.locals.ppn },
          'reply',
        ),
    },
    reply: { footprint: () => [], run: () => ret() },
  },
};
