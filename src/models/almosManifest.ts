/**
 * The ALMOS rows of the manifest: each documented design (G1 = r585, G2 = trunk, as
 * shared/spec/almos-mkh.md documents them) on the built-in scenario that exposes a finding, with the
 * violated invariant and the length of the shortest counterexample (BFS), and the corrected variant of
 * the same scenario, which must pass. A row checking only some invariants (to reach a finding another
 * invariant would stop first) says what all of them give (`allInvariants`). docs/findings.md explains
 * every row.
 */
import type { Config } from '../engine/types.js';
import type { ManifestRow } from './manifestRow.js';

/** r585 as documented: the COW bit is not re-checked; removeVseg releases pages "as recalled". */
export const g1Documented: Config = { generation: 'G1', cowRecheck: false, releasePolicy: 'asRecalled' };
/** Trunk as documented (the knobs' defaults are its safest reading). */
export const g2Documented: Config = { generation: 'G2' };
/** The corrections the findings call for (knobs.ts): each one is needed by some row. */
export const g1Corrected: Config = {
  generation: 'G1',
  cowProtocol: 'decrementAfterUpdate',
  faultHoldsRefLock: true,
  forkHoldsGptLock: true,
  forkProtectsParentFirst: true,
  munmapProtocol: 'detachFirst',
  attachRecheck: true,
};
export const g2Corrected: Config = {
  generation: 'G2',
  cowProtocol: 'decrementAfterUpdate',
  faultHoldsRefLock: true,
  forkLocksRefPtes: true,
  forkProtectsParentFirst: true,
  updateRefLast: true,
  munmapProtocol: 'detachFirst',
  attachRecheck: true,
};

/** The G2 correction of F1-F3 before F4 (setCow vpn by vpn under the reference PTE lock). */
export const g2SetCowByVpn: Config = {
  ...g2Corrected,
  forkLocksRefPtes: false,
  forkProtectsParentFirst: false,
  setCowLocksRefPte: true,
};

type Finding = readonly [
  scenario: string,
  g1: readonly [string, number] | 'pass',
  g2: readonly [string, number] | 'pass',
];

/**
 * Scenario -> what the documented G1 and G2 designs violate (invariant, shortest counterexample). Every
 * scenario that forks violates noWritableSharing first, in the fork window (F4): forkCopy gives the child
 * a COW entry of a page the parent still maps writable, until setCow.
 */
const findings: readonly Finding[] = [
  ['cow-remote-alloc', ['noWritableSharing', 8], ['noWritableSharing', 8]],
  ['cow-forks-race', ['noWritableSharing', 9], ['noWritableSharing', 9]],
  ['cow-stack-race', ['noWritableSharing', 33], ['noWritableSharing', 31]],
  ['cow-exit-race', ['noWritableSharing', 8], ['noWritableSharing', 8]],
  ['cow-false-fault-race', ['noWritableSharing', 8], ['noWritableSharing', 8]],
  ['fork', ['noWritableSharing', 31], ['noWritableSharing', 29]],
  ['fork-concurrent', ['noWritableSharing', 8], ['noWritableSharing', 8]],
  ['fork-sibling-fault', ['noWritableSharing', 8], ['noWritableSharing', 8]],
  ['fork-true-fault', ['noWritableSharing', 8], ['noWritableSharing', 8]],
  ['fork-sibling-cow', ['noWritableSharing', 8], ['noWritableSharing', 8]],
  ['fork-snapshot', ['noWritableSharing', 8], ['noWritableSharing', 8]],
  ['cow-enomem', ['noWritableSharing', 8], ['noWritableSharing', 8]],
  ['munmap-race', ['mappingsInsideVsegs', 49], ['mappingsInsideVsegs', 43]],
  ['munmap-race-remote', ['mappingsInsideVsegs', 74], ['mappingsInsideVsegs', 62]],
  ['munmap-true-fault-race', ['copySubsetOfReference', 49], ['copySubsetOfReference', 43]],
  ['getvseg-double-attach', ['vslNoOverlap', 41], ['vslNoOverlap', 29]],
];

/** The documented designs with only the fork window closed (F4's correction, nothing else). */
export const g1WindowClosed: Config = {
  ...g1Documented,
  forkHoldsGptLock: true,
  forkProtectsParentFirst: true,
};
export const g2WindowClosed: Config = {
  ...g2Documented,
  forkLocksRefPtes: true,
  forkProtectsParentFirst: true,
};

/** Scenario -> what the documented designs still violate behind the fork window (the F4 finding masks it). */
const behindForkWindow: readonly Finding[] = [
  ['cow-remote-alloc', ['lockDiscipline', 41], ['noWritableSharing', 91]],
  ['cow-forks-race', ['noWritableSharing', 95], ['noWritableSharing', 96]],
  ['cow-stack-race', ['noWritableSharing', 83], ['noWritableSharing', 87]],
  ['cow-exit-race', ['noUseAfterFree', 63], ['noUseAfterFree', 65]],
  ['cow-false-fault-race', ['refinement', 88], ['refinement', 86]],
  ['fork-sibling-fault', ['noWritableSharing', 42], ['noWritableSharing', 39]],
  ['fork-true-fault', 'pass', ['noWritableSharing', 51]],
  ['fork-sibling-cow', ['noWritableSharing', 42], ['noWritableSharing', 39]],
  ['fork-snapshot', ['lockDiscipline', 52], 'pass'],
  ['cow-enomem', 'pass', ['forksAccounting', 56]],
];

const row = (
  name: string,
  config: Config,
  expected: ManifestRow['expected'],
  note: string,
  extra: Partial<ManifestRow> = {},
): ManifestRow => ({
  name,
  model: 'almos',
  config,
  expected,
  runs: 0,
  small: true,
  note,
  maxStates: 200_000,
  ...extra,
});

function findingRows(): ManifestRow[] {
  const out: ManifestRow[] = [];
  for (const [scenario, g1, g2] of findings) {
    const extra: Config = scenario === 'cow-enomem' ? { allocFailures: true } : {};
    for (const [gen, documented, corrected, got] of [
      ['g1', g1Documented, g1Corrected, g1],
      ['g2', g2Documented, g2Corrected, g2],
    ] as const) {
      const base = { scenario, ...extra };
      if (got === 'pass') {
        out.push(
          row(
            `almos-${scenario}-${gen}`,
            { ...base, ...documented },
            'pass',
            'documented design passes here',
          ),
        );
      } else {
        out.push(
          row(
            `almos-${scenario}-${gen}`,
            { ...base, ...documented },
            `violation:${got[0]}`,
            'documented design',
            {
              shortest: got[1],
            },
          ),
        );
      }
      out.push(row(`almos-${scenario}-${gen}-fixed`, { ...base, ...corrected }, 'pass', 'corrected variant'));
    }
  }
  return out;
}

function windowClosedRows(): ManifestRow[] {
  const out: ManifestRow[] = [];
  for (const [scenario, g1, g2] of behindForkWindow) {
    const extra: Config = scenario === 'cow-enomem' ? { allocFailures: true } : {};
    for (const [gen, config, got] of [
      ['g1', g1WindowClosed, g1],
      ['g2', g2WindowClosed, g2],
    ] as const) {
      const name = `almos-${scenario}-${gen}-window-closed`;
      const full = { scenario, ...extra, ...config };
      const note = 'documented design, fork window closed (F4 fixed)';
      out.push(
        got === 'pass'
          ? row(name, full, 'pass', `${note}: passes here`)
          : row(name, full, `violation:${got[0]}`, note, { shortest: got[1] }),
      );
    }
  }
  return out;
}

export const almosRows: readonly ManifestRow[] = [
  row('almos-faults-g1', { scenario: 'faults', ...g1Documented }, 'pass', 'page faults only, random runs', {
    runs: 100,
    maxStates: 0,
  }),
  row('almos-faults-g2', { scenario: 'faults', ...g2Documented }, 'pass', 'page faults only, random runs', {
    runs: 100,
    maxStates: 0,
  }),
  row(
    'almos-shared-fault-g1',
    { scenario: 'shared-fault', ...g1Documented },
    'pass',
    'true then false page fault',
  ),
  row(
    'almos-shared-fault-g2',
    { scenario: 'shared-fault', ...g2Documented },
    'pass',
    'true then false page fault',
  ),
  ...findingRows(),
  ...windowClosedRows(),
  row(
    'almos-cow-copy-race-g2-refinement',
    { scenario: 'cow-copy-race', ...g2Documented },
    'violation:refinement',
    'G2 decrements forks before copying: a process reads another process write (user-visible)',
    { invariants: ['refinement'], allInvariants: 'violation:noWritableSharing', shortest: 122 },
  ),
  row(
    'almos-cow-copy-race-g1-refinement',
    { scenario: 'cow-copy-race', ...g1Documented },
    'pass',
    'G1 copies before decrementing: no user-visible leak on this scenario',
    { invariants: ['refinement'], allInvariants: 'violation:noWritableSharing' },
  ),
  row(
    'almos-cow-false-fault-race-g1-touch',
    { scenario: 'cow-false-fault-race', ...g1Corrected, updateTouchesUnmapped: true },
    'violation:mappingsInsideVsegs',
    'updateTouchesUnmapped writes a copy entry outside its VSL',
    { shortest: 49 },
  ),
  row(
    'almos-munmap-race-g1-reffirst',
    { scenario: 'munmap-race', ...g1Documented, copyOrder: 'refFirst' },
    'violation:copySubsetOfReference',
    'munmap clearing the reference first leaves copies mapping pages the reference dropped',
    { shortest: 44 },
  ),
  row(
    'almos-fork-snapshot-g1-refinement',
    { scenario: 'fork-snapshot', ...g1Documented },
    'violation:refinement',
    'the child reads vpn 0 from before the parent stored it and vpn 1 after: two instants (F5)',
    { invariants: ['refinement'], allInvariants: 'violation:noWritableSharing', shortest: 75 },
  ),
  row(
    'almos-fork-snapshot-g2-refinement',
    { scenario: 'fork-snapshot', ...g2Documented },
    'violation:refinement',
    'the child reads vpn 0 from before the parent stored it and vpn 1 after: two instants (F5)',
    { invariants: ['refinement'], allInvariants: 'violation:noWritableSharing', shortest: 85 },
  ),
  row(
    'almos-fork-snapshot-g2-setcow-refinement',
    { scenario: 'fork-snapshot', ...g2SetCowByVpn },
    'violation:refinement',
    'setCowLocksRefPte locks one vpn at a time: a COW of a copied page runs before the next is copied (F5)',
    { invariants: ['refinement'], allInvariants: 'violation:noWritableSharing', shortest: 82 },
  ),
  row(
    'almos-fork-sibling-fault-g1-setcow',
    { scenario: 'fork-sibling-fault', ...g1Corrected, forkProtectsParentFirst: false },
    'violation:noWritableSharing',
    'the F1-F3 correction in the documented step order (copy, then setCow) leaves the fork window open (F4)',
    { shortest: 10 },
  ),
  row(
    'almos-fork-sibling-fault-g2-setcow',
    { scenario: 'fork-sibling-fault', ...g2SetCowByVpn },
    'violation:noWritableSharing',
    'the F1-F3 correction in the documented step order (copy, then setCow) leaves the fork window open (F4)',
    { shortest: 8 },
  ),
];
