/** src/hw/mmu.ts: the MMU permission check (hits and the three fault causes) and address split. */
import { describe, expect, it } from 'vitest';
import { splitVa, translate } from '../../src/hw/mmu.js';
import { PTE, type Pte } from '../../src/hw/pte.js';

const base = PTE.MAPPED | PTE.SMALL | PTE.READABLE | PTE.USER;
const rw: Pte = { attr: base | PTE.WRITABLE, ppn: 7 };
const ro: Pte = { attr: base, ppn: 8 };
const cow: Pte = { attr: base | PTE.COW, ppn: 9 };

describe('hw/mmu translate', () => {
  it('an absent entry faults as unmapped, for loads and stores', () => {
    expect(translate(undefined, false)).toEqual({ kind: 'fault', cause: 'unmapped' });
    expect(translate(undefined, true)).toEqual({ kind: 'fault', cause: 'unmapped' });
  });

  it('an entry without MAPPED faults as unmapped even with other bits', () => {
    const stale: Pte = { attr: PTE.WRITABLE | PTE.COW | PTE.READABLE, ppn: 3 };
    expect(translate(stale, false)).toEqual({ kind: 'fault', cause: 'unmapped' });
    expect(translate(stale, true)).toEqual({ kind: 'fault', cause: 'unmapped' });
    expect(translate({ attr: 0, ppn: 3 }, false)).toEqual({ kind: 'fault', cause: 'unmapped' });
  });

  it('loads hit any mapped entry (writable, read-only or COW)', () => {
    expect(translate(rw, false)).toEqual({ kind: 'hit', ppn: 7 });
    expect(translate(ro, false)).toEqual({ kind: 'hit', ppn: 8 });
    expect(translate(cow, false)).toEqual({ kind: 'hit', ppn: 9 });
  });

  it('a store hits a writable entry', () => {
    expect(translate(rw, true)).toEqual({ kind: 'hit', ppn: 7 });
    // WRITABLE wins over a leftover COW bit.
    expect(translate({ attr: rw.attr | PTE.COW, ppn: 7 }, true)).toEqual({ kind: 'hit', ppn: 7 });
  });

  it('a store to a non-writable COW entry faults as cow', () => {
    expect(translate(cow, true)).toEqual({ kind: 'fault', cause: 'cow' });
  });

  it('a store to a non-writable entry without COW faults as readonly', () => {
    expect(translate(ro, true)).toEqual({ kind: 'fault', cause: 'readonly' });
  });
});

describe('hw/mmu splitVa', () => {
  it('splits a word address into page and offset', () => {
    expect(splitVa(0, 4)).toEqual({ vpn: 0, offset: 0 });
    expect(splitVa(13, 4)).toEqual({ vpn: 3, offset: 1 });
    expect(splitVa(15, 4)).toEqual({ vpn: 3, offset: 3 });
  });
});
