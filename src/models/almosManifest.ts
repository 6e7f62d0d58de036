/**
 * The ALMOS rows of the manifest: each documented design (G1 = r585, G2 = trunk, as
 * shared/spec/almos-mkh.md documents them) on the built-in scenario that exposes a finding, with the
 * violated invariant and the length of the shortest counterexample (BFS), and the corrected variant of
 * the same scenario, which must pass. docs/findings.md explains every row.
 */
import type { Config } from '../engine/types.js';
import type { ManifestRow } from './manifest.js';

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
  munmapProtocol: 'detachFirst',
  attachRecheck: true,
};
export const g2Corrected: Config = {
  generation: 'G2',
  cowProtocol: 'decrementAfterUpdate',
  faultHoldsRefLock: true,
  setCowLocksRefPte: true,
  updateRefLast: true,
  munmapProtocol: 'detachFirst',
  attachRecheck: true,
};

type Finding = readonly [
  scenario: string,
  g1: readonly [string, number] | 'pass',
  g2: readonly [string, number] | 'pass',
];

/** Scenario -> what the documented G1 and G2 designs violate (invariant, shortest counterexample). */
const findings: readonly Finding[] = [
  ['cow-remote-alloc', ['lockDiscipline', 48], ['noWritableSharing', 96]],
  ['cow-forks-race', ['noWritableSharing', 102], ['noWritableSharing', 105]],
  ['cow-stack-race', ['noWritableSharing', 80], ['noWritableSharing', 79]],
  ['cow-exit-race', ['noUseAfterFree', 60], ['noUseAfterFree', 59]],
  ['cow-false-fault-race', ['refinement', 93], ['refinement', 91]],
  // G2: setCow's set_pte writes back the page read before a sibling's COW replaced it (refcountMatchesPtes
  // at that step; copyCoherence at the next quiescent state, 86 steps).
  ['fork-sibling-fault', ['noWritableSharing', 56], ['refcountMatchesPtes', 78]],
  ['fork-true-fault', ['noWritableSharing', 68], ['copyCoherence', 70]],
  ['fork-sibling-cow', ['noWritableSharing', 56], ['refcountMatchesPtes', 78]],
  ['cow-enomem', 'pass', ['forksAccounting', 50]],
  ['munmap-race', ['mappingsInsideVsegs', 49], ['mappingsInsideVsegs', 43]],
  ['munmap-race-remote', ['mappingsInsideVsegs', 74], ['mappingsInsideVsegs', 62]],
  ['munmap-true-fault-race', ['copySubsetOfReference', 49], ['copySubsetOfReference', 43]],
  ['getvseg-double-attach', ['vslNoOverlap', 41], ['vslNoOverlap', 29]],
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

export const almosRows: readonly ManifestRow[] = [
  row('almos-default-g1', { scenario: 'default', ...g1Documented }, 'pass', 'standard config, random runs', {
    runs: 100,
    maxStates: 0,
  }),
  row('almos-default-g2', { scenario: 'default', ...g2Documented }, 'pass', 'standard config, random runs', {
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
  row('almos-fork-g1', { scenario: 'fork', ...g1Documented }, 'pass', 'fork, COW in parent and child'),
  row('almos-fork-g2', { scenario: 'fork', ...g2Documented }, 'pass', 'fork, COW in parent and child'),
  row(
    'almos-fork-concurrent-g1',
    { scenario: 'fork-concurrent', ...g1Documented },
    'pass',
    'two threads fork',
  ),
  row(
    'almos-fork-concurrent-g2',
    { scenario: 'fork-concurrent', ...g2Documented },
    'pass',
    'two threads fork',
  ),
  ...findingRows(),
  row(
    'almos-cow-copy-race-g2-refinement',
    { scenario: 'cow-copy-race', ...g2Documented },
    'violation:refinement',
    'G2 decrements forks before copying: a process reads another process write (user-visible)',
    { invariants: ['refinement'], shortest: 122 },
  ),
  row(
    'almos-cow-copy-race-g1-refinement',
    { scenario: 'cow-copy-race', ...g1Documented },
    'pass',
    'G1 copies before decrementing: no user-visible leak on this scenario',
    { invariants: ['refinement'] },
  ),
  row(
    'almos-cow-false-fault-race-g1-touch',
    { scenario: 'cow-false-fault-race', ...g1Corrected, updateTouchesUnmapped: true },
    'violation:mappingsInsideVsegs',
    'updateTouchesUnmapped writes a copy entry outside its VSL',
    { shortest: 58 },
  ),
  row(
    'almos-munmap-race-g1-reffirst',
    { scenario: 'munmap-race', ...g1Documented, copyOrder: 'refFirst' },
    'violation:copySubsetOfReference',
    'munmap clearing the reference first leaves copies mapping pages the reference dropped',
    { shortest: 44 },
  ),
];
