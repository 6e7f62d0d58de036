/**
 * noWritableSharing checks every state, the fork window included (docs/findings.md F4): it fires inside
 * the documented fork's window, and on deliberately broken variants of the corrected fork
 * (corrections/forkProtectsParentFirst.ts) — one that write-protects only the source copy of the parent,
 * one that does not exclude the forking thread's stack — while the corrected fork passes the same
 * scenarios exhaustively.
 */
import { describe, expect, it } from 'vitest';
import { replayDecisions } from '../../src/engine/campaign.js';
import { Instance } from '../../src/engine/instance.js';
import { defaultSearchOptions, search } from '../../src/engine/search/index.js';
import type { Procedure } from '../../src/engine/types.js';
import { ret } from '../../src/engine/types.js';
import { isMapped } from '../../src/hw/pte.js';
import { forkCopyRangeProtected } from '../../src/models/almos/corrections/forkProtectsParentFirst.js';
import { setCowAttr } from '../../src/models/almos/gpt.js';
import { almos, almosModel } from '../../src/models/almos/model.js';
import type { Scenario } from '../../src/models/almos/scenario.js';
import type { AlmosShared } from '../../src/models/almos/state.js';
import { g1Corrected, g1Documented, g2Corrected, g2Documented } from '../../src/models/almosManifest.js';

type S = AlmosShared;
type P = Procedure<S>;
const steps = (forkCopyRangeProtected as P).steps;
const num = (f: { locals: { [k: string]: unknown } }, k: string) => f.locals[k] as number;

/** Broken: the entry is write-protected in the source copy only (the parent's other copies stay writable). */
const protectSourceOnly: P = {
  ...forkCopyRangeProtected,
  steps: {
    ...steps,
    protect: {
      footprint: (s, f, tid) => steps.protect?.footprint?.(s, f, tid) ?? [],
      run(s, f) {
        const gpt = s.proc[num(f, 'srcPid')]?.copy[num(f, 'srcCxy')]?.gpt;
        const pte = gpt?.[num(f, 'vpn')];
        if (gpt && isMapped(pte)) gpt[num(f, 'vpn')] = { attr: setCowAttr(pte.attr), ppn: pte.ppn };
        return 'writePte';
      },
    },
  },
};

/** Broken: the forking thread's stack is copied without excluding its faults and COWs. */
const noStackExclusion: P = {
  ...forkCopyRangeProtected,
  steps: {
    ...steps,
    exclude: { footprint: () => [], run: () => 'readPte' },
    release: { footprint: () => [], run: () => ret() },
  },
};

/** T0 (stack vpn 3, cluster 1) stores its stack and forks; T1, same cluster, stores into T0's stack. */
const siblingStack = (ref: number): string =>
  JSON.stringify({
    clusters: 2,
    coresPerCluster: 2,
    framesPerCluster: 4,
    wordsPerPage: 1,
    vpnCount: 4,
    processes: [
      {
        ref,
        vsegs: [],
        threads: [
          {
            cxy: 1,
            stack: { base: 3, size: 1 },
            ops: [
              { op: 'store', va: 3, value: 7 },
              { op: 'fork', cxy: 1, ops: [{ op: 'load', va: 3 }] },
            ],
          },
          { cxy: 1, ops: [{ op: 'store', va: 3, value: 8 }] },
        ],
      },
    ],
  } satisfies Scenario);

function bfs(overrides: { [name: string]: P }, scenario: string, config: object) {
  const model = Object.keys(overrides).length === 0 ? almosModel : almos({ overrides });
  const inst = new Instance<S>(model, { ...almosModel.defaultConfig, ...config, scenario });
  const r = search(inst, { ...defaultSearchOptions, strategy: 'bfs' });
  const end = r.decisions ? replayDecisions(inst, r.decisions) : null;
  return { r, end: end?.state.shared, last: end?.trace?.at(-1)?.label };
}

describe('noWritableSharing inside the fork window', () => {
  it.each([
    ['G1', g1Documented],
    ['G2', g2Documented],
  ])(
    '%s documented: fires while the fork is in progress, at the child entry of a writable page',
    (_g, config) => {
      const { r, end, last } = bfs({}, 'fork-sibling-fault', config);
      expect(r.violation?.name).toBe('noWritableSharing');
      expect(end?.ghost.spec.procs[0]?.forking).toEqual([1]);
      expect(last).toBe('forkCopyRange.writePte');
    },
  );
});

describe('noWritableSharing fires on broken corrected forks, passes on the corrected one', () => {
  for (const [g, config] of [
    ['G1', g1Corrected],
    ['G2', g2Corrected],
  ] as const) {
    it(`${g}: protecting only the source copy leaves the sibling's copy writable`, () => {
      const broken = bfs({ forkCopyRangeProtected: protectSourceOnly }, 'fork-sibling-fault', config);
      expect(broken.r.violation?.message).toMatch(/^ppn 0 is shared by P0, P1 but P0 c1 vpn 0 .*MSRWCU/);
      expect(broken.last).toBe('forkCopyRangeProtected.writePte');
      expect(bfs({}, 'fork-sibling-fault', config).r.verdict).toBe('pass');
    });

    for (const ref of [0, 1]) {
      it(`${g}, reference in cluster ${ref}: a sibling's COW on the forking thread's stack needs the exclusion`, () => {
        // G1 with the stack in the reference cluster: gpt(R), held by the forking thread
        // (forkHoldsGptLock), is the stack's GPT; the copier takes no lock of its own.
        const config2 = g === 'G1' && ref === 1 ? { ...config, forkHoldsGptLock: false } : config;
        const broken = bfs({ forkCopyRangeProtected: noStackExclusion }, siblingStack(ref), config2);
        expect(broken.r.violation?.message).toMatch(/^ppn \d+ is shared by P0, P1 but P0 c1 vpn 3 .*MSRWCU/);
        for (const c of [config, config2]) {
          const fixed = bfs({}, siblingStack(ref), c);
          expect([fixed.r.verdict, fixed.r.violation]).toEqual(['pass', null]);
          expect(fixed.r.states).toBeGreaterThan(150);
        }
      });
    }
  }
});
