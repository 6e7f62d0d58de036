/**
 * GPT primitives (ALMOS-MKH hal_gpt.c and the attribute rules of vmm.c), shared by every handler: the
 * attributes a fault maps a vseg's pages with, the copy-on-write attribute changes (set by fork, broken
 * by handleCow), the child's entry of a fork copy, and the PTE stores with the page bookkeeping each
 * one carries (refcount, the page-ownership record of noUseAfterFree, ghost.ts). Footprint builders
 * cover what they write.
 */
import type { Access } from '../../engine/types.js';
import { isMapped, PTE, type Pte } from '../../hw/pte.js';
import { heldPath, releaseAllocated } from './ghost.js';
import type { AlmosShared, PageDesc, Vseg, VsegType } from './state.js';
import { copyIn, proc, ptePath, w } from './util.js';

/** PTE attributes of a page of `vseg` (a fault maps MAPPED|SMALL|READABLE plus the vseg flags). */
export function vsegAttr(v: Vseg): number {
  return (
    PTE.MAPPED |
    PTE.SMALL |
    PTE.READABLE |
    PTE.USER |
    PTE.CACHABLE |
    (v.writable ? PTE.WRITABLE : 0) |
    (v.executable ? PTE.EXECUTABLE : 0)
  );
}

/** The vseg types whose pages fork shares copy-on-write (vmm_set_cow marks them in every copy). */
export const COW_TYPES: readonly VsegType[] = ['DATA', 'ANON', 'REMOTE'];

/** hal_gpt_set_cow: COW set, WRITABLE cleared; every other bit (LOCKED included) kept. */
export const setCowAttr = (attr: number): number => (attr | PTE.COW) & ~PTE.WRITABLE;

/** handleCow step 4: the attributes of the broken COW mapping, (old | WRITABLE) & ~COW (& ~LOCKED). */
export const cowAttr = (attr: number): number => (attr | PTE.WRITABLE) & ~PTE.COW & ~PTE.LOCKED;

/**
 * hal_gpt_pte_copy: the child's PTE for a parent PTE of a vseg of `type`: COW set and WRITABLE cleared,
 * unless FILE (shared mapping: copied as is). The G2 LOCKED bit is not copied.
 */
export function forkedPte(type: VsegType, pte: Pte): Pte {
  const attr = pte.attr & ~PTE.LOCKED;
  return { attr: type === 'FILE' ? attr : (attr | PTE.COW) & ~PTE.WRITABLE, ppn: pte.ppn };
}

/** Sets a PTE, counting the mapping; a freshly allocated page is no longer held (ghost.ts). */
export function setPte(s: AlmosShared, p: number, cxy: number, v: number, pte: Pte): void {
  copyIn(s, p, cxy).gpt[v] = { attr: pte.attr, ppn: pte.ppn };
  (s.page[pte.ppn] as PageDesc).refcount++;
  releaseAllocated(s, pte.ppn);
}

export const setPteFootprint = (p: number, cxy: number, v: number, ppn: number) => [
  w(ptePath(p, cxy, v)),
  w(`page.${ppn}`),
  w(heldPath(ppn)),
];

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
