/**
 * The built-in `default` scenario (scenarios/default.ts) exercises every mechanism of the model: a few
 * random runs enter every procedure the generation can run under the default knobs, and the only
 * procedures they never enter are the other generation's and the corrected variants' (each listed
 * with its reason). With the corrected knobs the same runs pass and enter the corrections too.
 */
import { describe, expect, it } from 'vitest';
import { runCampaign } from '../../src/engine/campaign.js';
import { Instance } from '../../src/engine/instance.js';
import { makeScheduler } from '../../src/engine/schedulers/index.js';
import type { Config } from '../../src/engine/types.js';
import { almosModel } from '../../src/models/almos/model.js';
import { g1Corrected, g2Corrected } from '../../src/models/almosManifest.js';

const coverage = (knobs: Config, runs: number, checkInvariants: boolean) => {
  const inst = new Instance(almosModel, { ...almosModel.defaultConfig, scenario: 'default', ...knobs });
  const scheduler = makeScheduler('portfolio', { seed: 1, pctDepth: 3, stepsEstimate: 50 });
  return runCampaign(inst, scheduler, runs, { maxSteps: 20_000, checkInvariants, coverage: true });
};

/** Procedures no run can enter under the default knobs, by reason. */
const onlyIn = {
  G2: ['remoteQueuelockAcquire', 'remoteQueuelockRelease', 'lockPte', 'unlockPte'],
  G2handlers: ['handlePageFaultG2', 'handleCowG2'],
  G1: ['remoteRwlockRdAcquire', 'remoteRwlockWrAcquire', 'remoteRwlockRdRelease', 'remoteRwlockWrRelease'],
  G1handlers: ['handlePageFault', 'handleCow'],
  /** G1's RPCs that G2 replaced by direct remote accesses. */
  G1rpcs: [
    'rpcPmemGetPages',
    'rpcPmemReleasePages',
    'rpcVmmGetVseg',
    'rpcVmmGlobalUpdatePte',
    'rpcVmmCreateVseg',
  ],
  /**
   * cowProtocol=decrementAfterUpdate; setCowLocksRefPte (G2); munmapProtocol=detachFirst;
   * forkProtectsParentFirst; forkLocksRefPtes (G2).
   */
  corrections: [
    'cowReleaseOld',
    'setCowByVpn',
    'removeVsegLocked',
    'forkCopyRangeProtected',
    'forkLockRefPtes',
    'forkUnlockRefPtes',
  ],
};
const sorted = (names: readonly string[]) => [...names].sort();

describe('the default scenario', () => {
  it('G1: five runs enter every procedure but the G2-only ones and the corrections', () => {
    const r = coverage({ generation: 'G1' }, 5, false);
    expect(r.runs).toBe(5);
    expect(sorted(r.coverage?.neverEntered ?? [])).toEqual(
      sorted([...onlyIn.G2, ...onlyIn.G2handlers, ...onlyIn.corrections]),
    );
  });

  it('G2: five runs enter every procedure but the G1-only ones and the corrections', () => {
    const r = coverage({ generation: 'G2' }, 5, false);
    expect(r.runs).toBe(5);
    expect(sorted(r.coverage?.neverEntered ?? [])).toEqual(
      sorted([...onlyIn.G1, ...onlyIn.G1handlers, ...onlyIn.G1rpcs, ...onlyIn.corrections]),
    );
  });

  it.each([
    ['G1', g1Corrected, ['cowReleaseOld', 'removeVsegLocked', 'forkCopyRangeProtected']],
    [
      'G2',
      g2Corrected,
      ['cowReleaseOld', 'removeVsegLocked', 'forkCopyRangeProtected', 'forkLockRefPtes', 'forkUnlockRefPtes'],
    ],
  ])('%s corrected: 10 runs pass and enter the corrections', (_g, knobs, corrections) => {
    const r = coverage(knobs, 10, true);
    expect(r.violation).toBeNull();
    for (const name of corrections) expect(r.coverage?.neverEntered, name).not.toContain(name);
  });
});
