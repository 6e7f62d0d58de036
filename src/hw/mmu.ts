/**
 * The MMU of a core: splits a virtual address into page and offset, and checks a page-table entry
 * (found by the kernel's page-table walk, passed in) against the access. Pure: no state, no steps.
 *
 * Contract of `translate(pte, write)`:
 * - no entry, or MAPPED clear                     -> fault `unmapped` (page fault exception);
 * - a store to an entry without WRITABLE, with COW -> fault `cow` (copy-on-write exception);
 * - a store to an entry without WRITABLE nor COW   -> fault `readonly` (a user error);
 * - otherwise (any load of a mapped entry, a store to a writable one) -> hit on the entry's PPN.
 * Loads do not check READABLE (every mapped ALMOS-MKH user page is readable).
 */
import { isMapped, PTE, type Pte } from './pte.js';

export type FaultCause = 'unmapped' | 'cow' | 'readonly';
export type Translation = { kind: 'hit'; ppn: number } | { kind: 'fault'; cause: FaultCause };

export function translate(pte: Pte | undefined, write: boolean): Translation {
  if (!isMapped(pte)) return { kind: 'fault', cause: 'unmapped' };
  if (write && (pte.attr & PTE.WRITABLE) === 0) {
    return { kind: 'fault', cause: (pte.attr & PTE.COW) !== 0 ? 'cow' : 'readonly' };
  }
  return { kind: 'hit', ppn: pte.ppn };
}

/** The virtual page and word offset of word address `va`. */
export function splitVa(va: number, wordsPerPage: number): { vpn: number; offset: number } {
  return { vpn: Math.floor(va / wordsPerPage), offset: va % wordsPerPage };
}
