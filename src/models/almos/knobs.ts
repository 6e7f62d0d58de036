/**
 * The knobs of the ALMOS model (shared/spec/almos-mkh.md, "Knobs"): every step order the seed
 * documents only loosely is a knob. Defaults are the safest reading; the manifest sets the documented
 * r585 (G1) and trunk (G2) values. Exception: the correction knobs (`cowProtocol`,
 * `faultHoldsRefLock`, `forkHoldsGptLock`, `forkProtectsParentFirst`, `forkLocksRefPtes`,
 * `setCowLocksRefPte`, `updateRefLast`, `munmapProtocol`, `attachRecheck`) select corrected variants of
 * designs found to violate invariants (corrections/, one file each, applied to a configuration's
 * procedure table); their defaults are the documented designs.
 * Knobs are copied into the state (`shared.knobs`) so steps read them.
 */
import type { ConfigParam } from '../../engine/types.js';

export type Knobs = {
  generation: 'G1' | 'G2';
  /** handleCow re-checks the COW bit after locking (r585 does not). */
  cowRecheck: boolean;
  /** globalUpdatePte also writes entries that are unmapped in a copy. */
  updateTouchesUnmapped: boolean;
  /** G2: setCow locks each PTE before changing it. */
  setCowTakesPteLock: boolean;
  /** forkCopy increments `forks` for FILE pages too. */
  fileCopyIncrementsForks: boolean;
  /** removeVseg's page release rule. */
  releasePolicy: 'asRecalled' | 'forksAware';
  /** globalDeleteVseg walks the copies with the reference first or last. */
  copyOrder: 'refFirst' | 'refLast';
  /** Page allocation may fail (ENOMEM), as a scheduler data choice. */
  allocFailures: boolean;
  /**
   * handleCow's forks protocol. `documented`: decide and decrement `forks` under the page busylock,
   * before the copy (G2) and before the PTE update (G1, G2). `decrementAfterUpdate` (corrected,
   * corrections/cowDecrementAfterUpdate.ts): only read forks under the busylock; copy and update the
   * PTEs without it; then decrement forks, or free the old page when no other holder is left ("last
   * one out frees").
   */
  cowProtocol: 'documented' | 'decrementAfterUpdate';
  /**
   * Corrected page fault: the reference PTE stays locked until the local entry is set (G1: the gpt(R)
   * read lock is kept across the gpt(L) copy; G2: set_pte local before unlocking the reference PTE;
   * corrections/faultHoldsRefLock.ts).
   */
  faultHoldsRefLock: boolean;
  /**
   * Corrected fork, G1 (corrections/forkHoldsGptLock.ts): the forking thread write-locks the parent's gpt(R) before
   * process_make_fork and releases it after, so no fault or COW (they read or write the reference under
   * gpt(R)) interleaves with forkCopy and setCow's whole walk; taken by the forking thread, not by the
   * RPC server that may run setCow (no server waits for gpt(R), which a COW holds across RPCs to R).
   */
  forkHoldsGptLock: boolean;
  /**
   * Corrected fork, G2 (corrections/setCowLocksRefPte.ts): setCow walks vpn by vpn; under the reference PTE lock of the
   * vpn it marks the entry in every copy (no copy lock), then set_pte the reference. Overrides
   * `setCowTakesPteLock` for the public vsegs.
   */
  setCowLocksRefPte: boolean;
  /**
   * Corrected fork (corrections/forkProtectsParentFirst.ts): each parent entry is write-protected in
   * every copy before the child's entry shares its page (no setCow pass follows); the forking thread's
   * stack is excluded for its whole copy. Needs the parent's public faults and COWs excluded for the
   * whole fork: G1 `forkHoldsGptLock`, G2 `forkLocksRefPtes`.
   */
  forkProtectsParentFirst: boolean;
  /**
   * Corrected fork, G2 (corrections/forkLocksRefPtes.ts): the forking thread lock_pte's every reference
   * entry of the parent's DATA/ANON/REMOTE vsegs (vpn order) before process_make_fork, unlocks after.
   */
  forkLocksRefPtes: boolean;
  /**
   * Corrected globalUpdatePte: the reference entry is stored last (G2: handleCow keeps the reference PTE
   * lock until every copy is updated, since that last store is the set_pte that releases it;
   * corrections/updateRefLast.ts).
   */
  updateRefLast: boolean;
  /**
   * munmap. `documented`: globalDeleteVseg runs removeVseg in each copy (reset without locks, then
   * detach). `detachFirst` (corrected, corrections/munmapDetachFirst.ts): munmap first marks the vseg as being deleted
   * in the reference (under its VSL write lock), so no fault or getVseg can use it any more: getVseg's
   * attach and the public page faults re-check the mark (G1 under the GPT lock they map under, G2
   * under the local PTE lock) and return USER_ERROR; then it clears each copy, reference last (G1 under
   * gpt(R) and gpt(K) write locks, G2 locking each PTE before its reset), and detaches the vseg from
   * each VSL after its PTEs are gone. Overrides `copyOrder` for munmap (reference last).
   */
  munmapProtocol: 'documented' | 'detachFirst';
  /**
   * Corrected getVseg (corrections/attachRecheck.ts): the attach re-looks-up the local VSL under its
   * write lock and uses the vseg found there. r585 vmm_get_vseg attaches the vseg fetched from the reference without that
   * re-check: two threads of one cluster missing the same vseg attach it twice (docs/findings.md V1).
   */
  attachRecheck: boolean;
};

export const defaultKnobs: Knobs = {
  generation: 'G1',
  cowRecheck: true,
  updateTouchesUnmapped: false,
  setCowTakesPteLock: true,
  fileCopyIncrementsForks: false,
  releasePolicy: 'forksAware',
  copyOrder: 'refLast',
  allocFailures: false,
  cowProtocol: 'documented',
  faultHoldsRefLock: false,
  forkHoldsGptLock: false,
  setCowLocksRefPte: false,
  forkProtectsParentFirst: false,
  forkLocksRefPtes: false,
  updateRefLast: false,
  munmapProtocol: 'documented',
  attachRecheck: false,
};

export const knobParams: { readonly [K in keyof Knobs]: ConfigParam } = {
  generation: {
    type: 'enum',
    values: ['G1', 'G2'],
    doc: 'G1 = r585 (gpt/vsl rwlocks, RPCs); G2 = trunk (PTE locks)',
  },
  cowRecheck: { type: 'bool', doc: 'handleCow re-checks COW under the lock' },
  updateTouchesUnmapped: { type: 'bool', doc: 'globalUpdatePte writes unmapped copy entries too' },
  setCowTakesPteLock: { type: 'bool', doc: 'G2 setCow locks each PTE' },
  fileCopyIncrementsForks: { type: 'bool', doc: 'forkCopy increments forks of FILE pages' },
  releasePolicy: { type: 'enum', values: ['asRecalled', 'forksAware'], doc: 'removeVseg release rule' },
  copyOrder: {
    type: 'enum',
    values: ['refFirst', 'refLast'],
    doc: 'munmap walks the reference first or last',
  },
  allocFailures: { type: 'bool', doc: 'page allocation may fail (ENOMEM)' },
  cowProtocol: {
    type: 'enum',
    values: ['documented', 'decrementAfterUpdate'],
    doc: 'handleCow: decrement forks before the update (documented) or after it, last one out frees',
  },
  faultHoldsRefLock: {
    type: 'bool',
    doc: 'page fault keeps the reference PTE locked until the local entry is set (corrected)',
  },
  forkHoldsGptLock: {
    type: 'bool',
    doc: 'G1 fork write-locks gpt(R) across forkCopy and setCow (corrected)',
  },
  setCowLocksRefPte: {
    type: 'bool',
    doc: 'G2 setCow marks each vpn in every copy under the reference PTE lock (corrected)',
  },
  forkProtectsParentFirst: {
    type: 'bool',
    doc: 'fork write-protects each parent entry in every copy before the child shares it; no setCow pass (corrected)',
  },
  forkLocksRefPtes: {
    type: 'bool',
    doc: 'G2 fork locks every reference PTE of the parent for the whole fork (corrected)',
  },
  updateRefLast: { type: 'bool', doc: 'globalUpdatePte stores the reference entry last (corrected)' },
  munmapProtocol: {
    type: 'enum',
    values: ['documented', 'detachFirst'],
    doc: 'munmap: documented, or mark the vseg deleted first, faults re-check it, clear under locks (corrected)',
  },
  attachRecheck: {
    type: 'bool',
    doc: 'getVseg re-looks-up the local VSL under its write lock before attaching (corrected)',
  },
};
