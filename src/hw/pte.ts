/**
 * Page-table entries: `(attr, ppn)` with the ALMOS-MKH GPT attribute bits (hal_gpt.h). An unmapped
 * entry is absent from the GPT (sparse) or has attr 0. G2 adds LOCKED (lock_pte / set_pte).
 */
export const PTE = {
  MAPPED: 1 << 0,
  SMALL: 1 << 1,
  READABLE: 1 << 2,
  WRITABLE: 1 << 3,
  EXECUTABLE: 1 << 4,
  CACHABLE: 1 << 5,
  USER: 1 << 6,
  DIRTY: 1 << 7,
  ACCESSED: 1 << 8,
  COW: 1 << 9,
  LOCKED: 1 << 10,
} as const;

/** A type alias, not an interface: plain data, so a PTE is a `Value` (a frame local, a result). */
export type Pte = {
  attr: number;
  ppn: number;
};

const names: ReadonlyArray<[number, string]> = [
  [PTE.MAPPED, 'M'],
  [PTE.SMALL, 'S'],
  [PTE.READABLE, 'R'],
  [PTE.WRITABLE, 'W'],
  [PTE.EXECUTABLE, 'X'],
  [PTE.CACHABLE, 'C'],
  [PTE.USER, 'U'],
  [PTE.DIRTY, 'D'],
  [PTE.ACCESSED, 'A'],
  [PTE.COW, 'cow'],
  [PTE.LOCKED, 'L'],
];

/** `MSRWU` style rendering for traces and reports. */
export function formatAttr(attr: number): string {
  return names
    .filter(([bit]) => (attr & bit) !== 0)
    .map(([, n]) => n)
    .join('');
}

export const isMapped = (pte: Pte | undefined): pte is Pte =>
  pte !== undefined && (pte.attr & PTE.MAPPED) !== 0;
export const has = (pte: Pte | undefined, bit: number): boolean =>
  pte !== undefined && (pte.attr & bit) !== 0;

/** The attributes that must agree between a GPT copy and the reference (copyCoherence). */
export const COHERENT_BITS = PTE.WRITABLE | PTE.COW | PTE.USER | PTE.EXECUTABLE | PTE.CACHABLE;
