/**
 * Unit tests of each ALMOS invariant check on small hand-built states (invariantStates.ts): what
 * passes, what fires and the edge cases documented in each invariant's header.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { PTE } from '../../src/hw/pte.js';
import { copyCoherence } from '../../src/models/almos/invariants/copyCoherence.js';
import { copySubsetOfReference } from '../../src/models/almos/invariants/copySubsetOfReference.js';
import { cowExcludesWritable } from '../../src/models/almos/invariants/cowExcludesWritable.js';
import { forksAccounting } from '../../src/models/almos/invariants/forksAccounting.js';
import { forksNonNegative } from '../../src/models/almos/invariants/forksNonNegative.js';
import { mappingsInsideVsegs } from '../../src/models/almos/invariants/mappingsInsideVsegs.js';
import { noKernelPanic } from '../../src/models/almos/invariants/noKernelPanic.js';
import { noUseAfterFree } from '../../src/models/almos/invariants/noUseAfterFree.js';
import { noWritableSharing } from '../../src/models/almos/invariants/noWritableSharing.js';
import { placement } from '../../src/models/almos/invariants/placement.js';
import { privateLocality } from '../../src/models/almos/invariants/privateLocality.js';
import { refcountMatchesPtes } from '../../src/models/almos/invariants/refcountMatchesPtes.js';
import { refinement } from '../../src/models/almos/invariants/refinement.js';
import { vslNoOverlap } from '../../src/models/almos/invariants/vslNoOverlap.js';
import type { PageDesc } from '../../src/models/almos/state.js';
import { attach, COW_RO, copy, fresh, map, push, RW, type St, take } from './invariantStates.js';

let st: St;
beforeEach(() => {
  st = fresh();
});

describe('copyCoherence', () => {
  beforeEach(() => {
    take(st, 1);
    map(st, 0, 0, 0, 1);
    attach(st, 0, 1, 0);
  });

  it('accepts a copy equal to the reference on ppn and the coherent bits (DIRTY, ACCESSED, LOCKED aside)', () => {
    map(st, 0, 1, 0, 1, RW | PTE.DIRTY | PTE.ACCESSED | PTE.LOCKED);
    expect(copyCoherence.check(st)).toBeNull();
  });

  it('reports a copy that kept the pre-COW attributes', () => {
    map(st, 0, 1, 0, 1, COW_RO);
    expect(copyCoherence.check(st)).toBe(
      'P0 c1 vpn 0 -> ppn 1 (MSRCUcow) in DATA vseg differs from the reference (c0): ppn 1 (MSRWCU)',
    );
  });

  it('reports a copy mapping another page, and a copy entry the reference does not map', () => {
    map(st, 0, 1, 0, 2);
    expect(copyCoherence.check(st)).toContain('P0 c1 vpn 0 -> ppn 2');
    map(st, 0, 1, 0, 1);
    map(st, 0, 1, 1, 1);
    expect(copyCoherence.check(st)).toBe(
      'P0 c1 vpn 1 -> ppn 1 (MSRWCU) in DATA vseg: the reference GPT (c0) does not map vpn 1',
    );
  });

  it('ignores private vsegs and vpns outside every reference vseg', () => {
    map(st, 0, 1, 9, 5);
    map(st, 0, 1, 12, 6);
    expect(copyCoherence.check(st)).toBeNull();
  });
});

describe('copySubsetOfReference', () => {
  it('accepts the true page fault transient (reference set, copy not yet) and private copy vsegs', () => {
    take(st, 5);
    map(st, 0, 0, 1, 5);
    attach(st, 0, 1, 1);
    expect(copySubsetOfReference.check(st)).toBeNull();
  });

  it('reports a public copy entry the reference does not map (munmap with copyOrder = refFirst)', () => {
    attach(st, 0, 1, 1);
    map(st, 0, 1, 1, 5);
    expect(copySubsetOfReference.check(st)).toBe(
      'P0 c1 vpn 1 -> ppn 5 (MSRWCU) in DATA vseg is not mapped in the reference GPT (c0)',
    );
  });

  it('reports a public copy vseg whose bounds differ from the reference', () => {
    copy(st, 0, 1).vsl.push({
      type: 'DATA',
      base: 0,
      size: 1,
      cxy: -1,
      writable: true,
      executable: false,
      file: -1,
    });
    expect(copySubsetOfReference.check(st)).toBe(
      'P0 c1 has DATA vseg [0, 1) that the reference VSL (c0) does not have',
    );
  });

  it('reports public leftovers of a process whose reference copy is gone', () => {
    attach(st, 0, 1, 0);
    (st.shared.proc[0] as { copy: unknown[] }).copy[0] = null;
    expect(copySubsetOfReference.check(st)).toContain('P0 c1 has DATA vseg [0, 2)');
  });
});

describe('privateLocality', () => {
  it('accepts a stack entry in its owner, even mapping a page of another cluster (a forked stack)', () => {
    map(st, 0, 1, 9, 1, COW_RO);
    expect(privateLocality.check(st)).toBeNull();
  });

  it('reports a stack entry in another cluster GPT', () => {
    map(st, 0, 0, 9, 5);
    expect(privateLocality.check(st)).toBe(
      'P0 c0 vpn 9 -> ppn 5 (MSRWCU): STACK vseg [9, 10) of cluster 1 mapped in the GPT of c0',
    );
  });

  it('accepts a local CODE replica and reports a remote one, attached or not', () => {
    map(st, 0, 1, 5, 5);
    expect(privateLocality.check(st)).toBeNull();
    map(st, 0, 1, 5, 1);
    expect(privateLocality.check(st)).toContain('CODE replica page lives in cluster 0, not in c1');
    attach(st, 0, 1, 5);
    expect(privateLocality.check(st)).toContain('P0 c1 vpn 5 -> ppn 1');
  });
});

describe('placement', () => {
  it('accepts DATA in target(vpn), ANON/REMOTE in their cluster, FILE on its mapper page', () => {
    map(st, 0, 0, 0, 1);
    map(st, 0, 0, 1, 5);
    map(st, 0, 0, 2, 6);
    map(st, 0, 0, 3, 2);
    map(st, 0, 0, 4, 4);
    expect(placement.check(st)).toBeNull();
  });

  it.each([
    [1, 1, 'DATA page lives in cluster 0, target(1) is 1'],
    [2, 2, "ANON page lives in cluster 0, the vseg's cluster is 1"],
    [3, 6, "REMOTE page lives in cluster 1, the vseg's cluster is 0"],
    [4, 5, 'FILE vseg maps ppn 5, its mapper page is 4'],
  ])('reports vpn %i mapped to ppn %i', (vpn, ppn, says) => {
    map(st, 0, 0, vpn, ppn);
    expect(placement.check(st)).toBe(`P0 c0 vpn ${vpn} -> ppn ${ppn} (MSRWCU): ${says}`);
  });

  it('checks only the reference GPT', () => {
    attach(st, 0, 1, 1);
    map(st, 0, 1, 1, 1);
    expect(placement.check(st)).toBeNull();
  });
});

describe('forksAccounting', () => {
  it('counts one holder per process from the authoritative GPTs (copies do not count)', () => {
    take(st, 1, 1);
    map(st, 0, 0, 0, 1, COW_RO);
    map(st, 0, 1, 0, 1, COW_RO);
    map(st, 1, 1, 0, 1, COW_RO);
    expect(forksAccounting.check(st)).toBeNull();
    (st.shared.page[1] as PageDesc).forks = 0;
    expect(forksAccounting.check(st)).toBe(
      'ppn 1 (cluster 0): forks = 0 but 2 process(es) hold it (P0 c0 vpn 0, P1 c1 vpn 0), expected 1',
    );
  });

  it('counts stack holders in the owning cluster only', () => {
    take(st, 1, 1);
    map(st, 0, 0, 8, 1, COW_RO);
    map(st, 1, 1, 10, 1, COW_RO);
    expect(forksAccounting.check(st)).toBeNull();
    map(st, 0, 1, 8, 1, COW_RO);
    expect(forksAccounting.check(st)).toBeNull();
  });

  it('requires forks == 0 on file mapper pages and CODE replicas', () => {
    (st.shared.page[4] as PageDesc).forks = 1;
    expect(forksAccounting.check(st)).toBe(
      'ppn 4 (cluster 1): file mapper / CODE page has forks = 1, expected 0',
    );
    (st.shared.page[4] as PageDesc).forks = 0;
    take(st, 5, 1);
    map(st, 0, 1, 5, 5);
    expect(forksAccounting.check(st)).toContain('ppn 5 (cluster 1): file mapper / CODE page has forks = 1');
  });

  it('reports a negative forks on any page, and leaves unheld pages to noUseAfterFree', () => {
    take(st, 2, 3);
    expect(forksAccounting.check(st)).toBeNull();
    (st.shared.page[3] as PageDesc).forks = -1;
    expect(forksAccounting.check(st)).toBe('ppn 3 (cluster 0): forks = -1 is negative');
  });
});

describe('noWritableSharing', () => {
  beforeEach(() => {
    take(st, 1, 1);
    map(st, 0, 0, 0, 1, COW_RO);
    map(st, 1, 1, 0, 1, COW_RO);
  });

  it('accepts a page shared COW read-only everywhere, and one process mapping its page writable', () => {
    expect(noWritableSharing.check(st)).toBeNull();
    map(st, 0, 0, 1, 5);
    map(st, 0, 1, 1, 5);
    expect(noWritableSharing.check(st)).toBeNull();
  });

  it('reports a writable mapping of a shared page, a stale copy counting as a holder', () => {
    map(st, 1, 1, 0, 1);
    expect(noWritableSharing.check(st)).toBe(
      'ppn 1 is shared by P0, P1 but P1 c1 vpn 0 -> ppn 1 (MSRWCU) is not COW read-only',
    );
    map(st, 0, 0, 0, 2);
    map(st, 0, 1, 0, 1, COW_RO);
    expect(noWritableSharing.check(st)).toContain('ppn 1 is shared by P0, P1 but P1 c1 vpn 0');
  });

  it('excludes file mapper pages', () => {
    map(st, 0, 0, 4, 4);
    map(st, 1, 1, 4, 4);
    expect(noWritableSharing.check(st)).toBeNull();
  });

  it("exempts no window: the parent's writable mapping is reported while its fork is in progress", () => {
    map(st, 0, 0, 0, 1);
    expect(noWritableSharing.check(st)).toContain('P0 c0 vpn 0');
    (st.shared.ghost.spec.procs[0] as { forking: number[] }).forking = [1];
    expect(noWritableSharing.check(st)).toBe(
      'ppn 1 is shared by P0, P1 but P0 c0 vpn 0 -> ppn 1 (MSRWCU) is not COW read-only',
    );
  });
});

describe('cowExcludesWritable', () => {
  it('reports COW|WRITABLE on any entry, mapped or not', () => {
    map(st, 0, 1, 9, 5, COW_RO);
    expect(cowExcludesWritable.check(st)).toBeNull();
    map(st, 0, 1, 9, 5, RW | PTE.COW);
    expect(cowExcludesWritable.check(st)).toBe('P0 c1 vpn 9 -> ppn 5 (MSRWCUcow) is both COW and WRITABLE');
    map(st, 0, 1, 9, -1, PTE.COW | PTE.WRITABLE);
    expect(cowExcludesWritable.check(st)).toContain('is both COW and WRITABLE');
  });
});

describe('mappingsInsideVsegs', () => {
  it("requires the vseg in the copy's own VSL", () => {
    map(st, 0, 1, 0, 1);
    expect(mappingsInsideVsegs.check(st)).toBe(
      'P0 c1 vpn 0 -> ppn 1 (MSRWCU) lies in no vseg of the VSL of c1',
    );
    attach(st, 0, 1, 0);
    expect(mappingsInsideVsegs.check(st)).toBeNull();
    map(st, 0, 0, 12, 2);
    expect(mappingsInsideVsegs.check(st)).toContain('P0 c0 vpn 12');
  });

  it('ignores G2 entries that only carry LOCKED', () => {
    map(st, 0, 0, 12, -1, PTE.LOCKED);
    expect(mappingsInsideVsegs.check(st)).toBeNull();
  });
});

describe('noUseAfterFree', () => {
  it('reports a free page still mapped, and a free file mapper page', () => {
    map(st, 0, 0, 0, 1);
    expect(noUseAfterFree.check(st)).toBe(
      'ppn 1 (cluster 0) is free but mapped: P0 c0 vpn 0 -> ppn 1 (MSRWCU)',
    );
    st = fresh();
    (st.shared.page[4] as PageDesc).free = true;
    expect(noUseAfterFree.check(st)).toBe('ppn 4 (cluster 1) of a file mapper is free');
  });

  it('reports an allocated page mapped nowhere and held by nobody (leak)', () => {
    take(st, 2);
    expect(noUseAfterFree.check(st)).toBe(
      'ppn 2 (cluster 0) is allocated but mapped by no GPT and held by no thread (leak)',
    );
    map(st, 1, 1, 0, 2);
    expect(noUseAfterFree.check(st)).toBeNull();
  });

  it('accepts a page held by a thread inside a kernel operation; the holder leaving it leaks the page', () => {
    take(st, 2);
    st.shared.ghost.held[2] = [{ tid: 0, why: 'allocated' }];
    const leak = 'ppn 2 (cluster 0) is held (allocated) by T0 (P0.T0@c0), which left the kernel';
    expect(noUseAfterFree.check(st)).toContain(leak);
    push(st, 0, 'mmuAccess', 'translate');
    expect(noUseAfterFree.check(st)).toContain(leak);
    push(st, 0, 'handlePageFault', 'trueAllocated');
    expect(noUseAfterFree.check(st)).toBeNull();
  });

  it('counts a system call and an RPC server running a request as inside the kernel', () => {
    take(st, 2);
    st.shared.ghost.held[2] = [{ tid: 3, why: 'unmapped' }];
    expect(noUseAfterFree.check(st)).toContain('held (unmapped) by T3 (rpc@c0), which left the kernel');
    push(st, 3, 'rpcVmmRemoveVseg', 'remove');
    expect(noUseAfterFree.check(st)).toBeNull();
    st.shared.ghost.held[2] = [{ tid: 0, why: 'unmapped' }];
    push(st, 0, 'sysExit', 'nextVseg');
    expect(noUseAfterFree.check(st)).toBeNull();
  });

  it('reports a free page that a thread still holds', () => {
    push(st, 0, 'handleCow', 'settle');
    st.shared.ghost.held[2] = [{ tid: 0, why: 'cowOld' }];
    expect(noUseAfterFree.check(st)).toBe('ppn 2 (cluster 0) is free but held (cowOld) by T0 (P0.T0@c0)');
  });

  it('takes no excuse from frame locals or pending RPCs: only the ownership record holds a page', () => {
    take(st, 2);
    push(st, 0, 'removeVseg', 'decRefcount', { ppn: 2, oldPpn: 2 });
    expect(noUseAfterFree.check(st)).toContain('ppn 2 (cluster 0) is allocated but mapped by no GPT');
    st.shared.rpcs[0] = {
      id: 0,
      kind: 'PMEM_RELEASE_PAGES',
      client: 0,
      args: { ppn: 2 },
      result: null,
      done: false,
    };
    expect(noUseAfterFree.check(st)).toContain('leak');
  });
});

describe('forksNonNegative', () => {
  it('reports a negative forks on any page, free or not', () => {
    take(st, 2, 0);
    expect(forksNonNegative.check(st)).toBeNull();
    (st.shared.page[3] as PageDesc).forks = -1;
    expect(forksNonNegative.check(st)).toBe('ppn 3 (cluster 0): forks = -1 is negative');
  });
});

describe('refcountMatchesPtes', () => {
  it('counts the mapped PTEs of every copy, plus the mapper for a file page', () => {
    expect(refcountMatchesPtes.check(st)).toBeNull();
    take(st, 1);
    map(st, 0, 0, 0, 1);
    expect(refcountMatchesPtes.check(st)).toBeNull();
    map(st, 0, 1, 0, 1);
    expect(refcountMatchesPtes.check(st)).toBe(
      'ppn 1 (cluster 0): refcount = 1, but 2 reference(s) (PTEs and mapper)',
    );
    map(st, 0, 1, 0, -1, PTE.LOCKED);
    map(st, 0, 0, 4, 4);
    expect(refcountMatchesPtes.check(st)).toContain('ppn 4 (cluster 1): refcount = 1, but 2 reference(s)');
  });

  it('accepts the difference a handler registered between its two halves, and only that one', () => {
    take(st, 1);
    (st.shared.page[1] as PageDesc).refcount = 2;
    map(st, 0, 0, 0, 1);
    expect(refcountMatchesPtes.check(st)).toContain('refcount = 2, but 1 reference(s)');
    st.shared.ghost.refcountPending[1] = 1;
    expect(refcountMatchesPtes.check(st)).toBeNull();
    st.shared.ghost.refcountPending[1] = -1;
    expect(refcountMatchesPtes.check(st)).toBe(
      'ppn 1 (cluster 0): refcount = 2, but 1 reference(s) (PTEs and mapper), -1 pending in a handler',
    );
  });
});

describe('vslNoOverlap', () => {
  it('reports a vseg attached twice, and two different vsegs that overlap', () => {
    attach(st, 0, 1, 0);
    expect(vslNoOverlap.check(st)).toBeNull();
    attach(st, 0, 1, 0);
    expect(vslNoOverlap.check(st)).toBe('P0 c1: DATA vseg [0, 2) is attached twice in the VSL');
    st = fresh();
    copy(st, 1, 1).vsl.push({
      type: 'ANON',
      base: 1,
      size: 2,
      cxy: 1,
      writable: true,
      executable: false,
      file: -1,
    });
    expect(vslNoOverlap.check(st)).toBe('P1 c1: DATA vseg [0, 2) overlaps ANON vseg [1, 3) in the VSL');
  });
});

describe('noKernelPanic and refinement report their ghost records', () => {
  it('passes while nothing is recorded and returns the first record', () => {
    expect(noKernelPanic.check(st)).toBeNull();
    expect(refinement.check(st)).toBeNull();
    st.shared.ghost.panic = 'KERNEL_PANIC in store at va 1 by P0';
    st.shared.ghost.refinement = 'P0 load from va 0 returned 3, the abstract memory allows [0]';
    expect(noKernelPanic.check(st)).toBe('KERNEL_PANIC in store at va 1 by P0');
    expect(refinement.check(st)).toBe('P0 load from va 0 returned 3, the abstract memory allows [0]');
  });
});
