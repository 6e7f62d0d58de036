/**
 * `vmm_global_update_pte(process, vpn, attr, ppn)` (shared/spec/almos-mkh.md, "globalUpdatePte"):
 * walks the owner's copies list `proc(pid).copies` in list order and, for each copy, writes the PTE
 * with ONE remote store. No GPT lock is taken and the walk is not atomic across copies. Knob
 * `updateTouchesUnmapped`: an entry unmapped in a copy is written too, or skipped.
 * The store writes `attr` as given (callers pass it without LOCKED), so in G2 the store into the
 * reference entry is the `set_pte` that releases the PTE lock taken by handleCowG2 (once: the caller
 * must not unlock it again).
 * Knob `updateRefLast` (corrected, not in the kernel): the walk skips the reference and stores into it
 * last. In G2 handleCowG2 then holds the reference PTE lock until every copy is updated, so a setCow
 * walking under that lock (`setCowLocksRefPte`) cannot mark a copy between two stores of the walk.
 * Locals in: `pid`, `vpn`, `attr`, `ppn`. Returns null.
 * `rpcVmmGlobalUpdatePte` is the RPC_VMM_GLOBAL_UPDATE_PTE handler (runs in the reference cluster).
 */
import type { Access, Procedure } from '../../engine/types.js';
import { call, ret } from '../../engine/types.js';
import { isMapped, type Pte } from '../../hw/pte.js';
import { setPte, setPteFootprint } from './pageFault.js';
import type { AlmosShared, PageDesc } from './state.js';
import { proc, ptePath, r, w } from './util.js';

type P = Procedure<AlmosShared>;
type F = { locals: { [k: string]: unknown } };

const pid = (f: F) => f.locals.pid as number;
const vpn = (f: F) => f.locals.vpn as number;
const index = (f: F) => (f.locals.i as number | undefined) ?? 0;

/** The clusters the walk stores into, in walk order. */
function walkOrder(s: AlmosShared, p: number): readonly number[] {
  const { copies, ref } = proc(s, p);
  if (!s.knobs.updateRefLast || !copies.includes(ref)) return copies;
  return [...copies.filter((c) => c !== ref), ref];
}

/** The PPN an entry maps, or -1 (absent, unmapped, or only LOCKED). */
function mappedPpn(s: AlmosShared, p: number, cxy: number, v: number): number {
  const pte = proc(s, p).copy[cxy]?.gpt[v];
  return isMapped(pte) ? pte.ppn : -1;
}

/**
 * Writes `pte` into the entry of copy `cxy`, keeping the page bookkeeping: the page the entry stops
 * mapping loses one reference, the page it starts mapping gains one (and is no longer held as
 * `allocated`, ghost.ts).
 */
export function replacePte(s: AlmosShared, p: number, cxy: number, v: number, pte: Pte): void {
  const before = mappedPpn(s, p, cxy, v);
  if (before === pte.ppn) {
    (proc(s, p).copy[cxy] as { gpt: { [vpn: string]: Pte } }).gpt[v] = { attr: pte.attr, ppn: pte.ppn };
    return;
  }
  if (before >= 0) (s.page[before] as PageDesc).refcount--;
  setPte(s, p, cxy, v, pte);
}

export function replacePteFootprint(
  s: AlmosShared,
  p: number,
  cxy: number,
  v: number,
  ppn: number,
): Access[] {
  const before = mappedPpn(s, p, cxy, v);
  return [
    ...setPteFootprint(p, cxy, v, ppn),
    ...(before >= 0 && before !== ppn ? [w(`page.${before}.refcount`)] : []),
  ];
}

/** Does the walk write the entry of copy `cxy`? */
function touches(s: AlmosShared, p: number, cxy: number, v: number): boolean {
  const copy = proc(s, p).copy[cxy];
  if (copy === null || copy === undefined) return false;
  return s.knobs.updateTouchesUnmapped || isMapped(copy.gpt[v]);
}

export const globalUpdatePte: P = {
  name: 'globalUpdatePte',
  entry: 'updateCopy',
  steps: {
    /** One remote store into the next copy of the list (or nothing when it is skipped). */
    updateCopy: {
      footprint: (s, f) => {
        const cxy = walkOrder(s, pid(f))[index(f)];
        const reads = [r(`proc.${pid(f)}.copies`), r(`proc.${pid(f)}.ref`)];
        if (cxy === undefined) return reads;
        return [
          ...reads,
          r(ptePath(pid(f), cxy, vpn(f))),
          ...(touches(s, pid(f), cxy, vpn(f))
            ? replacePteFootprint(s, pid(f), cxy, vpn(f), f.locals.ppn as number)
            : []),
        ];
      },
      run(s, f) {
        const copies = walkOrder(s, pid(f));
        const i = index(f);
        const cxy = copies[i];
        if (cxy === undefined) return ret();
        if (touches(s, pid(f), cxy, vpn(f))) {
          replacePte(s, pid(f), cxy, vpn(f), { attr: f.locals.attr as number, ppn: f.locals.ppn as number });
        }
        f.locals.i = i + 1;
        return i + 1 < copies.length ? 'updateCopy' : ret();
      },
    },
  },
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
          { pid: pid(f), vpn: vpn(f), attr: f.locals.attr as number, ppn: f.locals.ppn as number },
          'reply',
        ),
    },
    reply: { footprint: () => [], run: () => ret() },
  },
};
