/**
 * The knobs of the ALMOS model (shared/spec/almos-mkh.md, "Knobs"): every step order the seed
 * documents only loosely is a knob. Defaults are the safest reading; the manifest sets the documented
 * r585 (G1) and trunk (G2) values. Knobs are copied into the state (`shared.knobs`) so steps read them.
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
};
