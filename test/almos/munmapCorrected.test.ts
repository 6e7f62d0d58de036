/**
 * The corrected munmap (knob `munmapProtocol = detachFirst`: corrections/vsegDeleting.ts and
 * corrections/removeVsegLocked.ts; docs/findings.md M1/M2): exhaustive BFS on the munmap races,
 * documented vs corrected, G1 and G2, plain
 * and combined with the corrected knob sets (verdicts, shortest counterexamples, state counts); each
 * part of the correction is needed (dropping it by a procedure override brings a violation back); a
 * sequential munmap from a copy leaves nothing behind; traced random runs of every built-in scenario.
 */
import { describe, expect, it } from 'vitest';
import { execute } from '../../src/engine/executor.js';
import { Instance } from '../../src/engine/instance.js';
import { randomScheduler } from '../../src/engine/schedulers/random.js';
import { defaultSearchOptions, type SearchResult, search } from '../../src/engine/search/index.js';
import type { Config, Procedure } from '../../src/engine/types.js';
import { call, ret } from '../../src/engine/types.js';
import { getVseg } from '../../src/models/almos/getVseg.js';
import { almos } from '../../src/models/almos/model.js';
import { handlePageFault } from '../../src/models/almos/pageFault.js';
import { handlePageFaultG2 } from '../../src/models/almos/pageFaultG2.js';
import type { Scenario } from '../../src/models/almos/scenario.js';
import { builtinScenarios } from '../../src/models/almos/scenarios.js';
import type { AlmosShared } from '../../src/models/almos/state.js';
import { gptLockPath, proc } from '../../src/models/almos/util.js';
import { g1Corrected, g1Documented, g2Corrected, g2Documented } from '../../src/models/almosManifest.js';
import { localValues, mixed, run } from './removeSupport.js';

type P = Procedure<AlmosShared>;
const sets = { g1Documented, g2Documented, g1Corrected, g2Corrected } as const;
type SetName = keyof typeof sets;

function instance(scenario: string, knobs: Config, overrides: { [name: string]: P } = {}) {
  const m = almos({ overrides });
  return new Instance(m, { ...m.defaultConfig, scenario, ...knobs });
}

function bfs(scenario: string, knobs: Config, overrides: { [name: string]: P } = {}): SearchResult {
  return search(instance(scenario, knobs, overrides), {
    ...defaultSearchOptions,
    strategy: 'bfs',
    maxStates: 500_000,
  });
}

/**
 * scenario, knob set, documented (invariant, shortest), detachFirst (states, all invariants pass). The
 * state counts are change detectors (any change to the model's steps moves them, rightly or not); each
 * is paired with an independent fact: DFS with partial-order reduction, over another (smaller) state
 * space, reaches the same verdict.
 */
const table: ReadonlyArray<[string, SetName, string, number, number]> = [
  ['munmap-race', 'g1Documented', 'mappingsInsideVsegs', 49, 6965],
  ['munmap-race', 'g2Documented', 'mappingsInsideVsegs', 43, 3715],
  ['munmap-race', 'g1Corrected', 'mappingsInsideVsegs', 48, 6667],
  ['munmap-race', 'g2Corrected', 'mappingsInsideVsegs', 42, 3735],
  ['munmap-race-remote', 'g1Documented', 'mappingsInsideVsegs', 74, 43788],
  ['munmap-race-remote', 'g2Documented', 'mappingsInsideVsegs', 62, 3937],
  ['munmap-race-remote', 'g1Corrected', 'mappingsInsideVsegs', 73, 41388],
  ['munmap-race-remote', 'g2Corrected', 'mappingsInsideVsegs', 61, 3960],
  ['munmap-true-fault-race', 'g1Documented', 'copySubsetOfReference', 49, 10650],
  ['munmap-true-fault-race', 'g2Documented', 'copySubsetOfReference', 43, 3736],
  ['munmap-true-fault-race', 'g1Corrected', 'copySubsetOfReference', 49, 10282],
  ['munmap-true-fault-race', 'g2Corrected', 'copySubsetOfReference', 43, 3779],
];

describe('munmap racing page faults, exhaustive BFS', () => {
  it.each(table)(
    '%s with %s: documented violates %s (%i steps), detachFirst passes',
    (sc, set, inv, len, n) => {
      const documented = bfs(sc, { ...sets[set], munmapProtocol: 'documented' });
      expect(documented.violation?.name).toBe(inv);
      expect(documented.decisions?.length).toBe(len);
      const corrected = bfs(sc, { ...sets[set], munmapProtocol: 'detachFirst' });
      expect(corrected.verdict).toBe('pass');
      expect(corrected.states).toBe(n); // change detector
      const por = search(instance(sc, { ...sets[set], munmapProtocol: 'detachFirst' }), {
        ...defaultSearchOptions,
        strategy: 'dfs',
        por: true,
      });
      expect([por.verdict, por.states < n]).toEqual(['pass', true]);
    },
  );

  it.each(['G1', 'G2'] as const)('%s plain knobs, copyOrder refFirst and allocation failures: pass', (g) => {
    for (const extra of [{}, { copyOrder: 'refFirst' }, { allocFailures: true }] as Config[]) {
      for (const sc of ['munmap-race', 'munmap-true-fault-race']) {
        expect(bfs(sc, { generation: g, munmapProtocol: 'detachFirst', ...extra }).verdict).toBe('pass');
      }
    }
  });
});

/** `p` with step `label` replaced by a plain jump to `to` (a re-check removed). */
const skip = (p: P, label: string, to: string): P => ({
  ...p,
  steps: { ...p.steps, [label]: { footprint: () => [], run: () => to } },
});
const here = (s: AlmosShared, tid: number) => (s.thread[tid] as { cxy: number }).cxy;
/** removeVsegLocked (G1) holding only the one GPT lock `which` gives. */
const oneGptLock = (which: (s: AlmosShared, pid: number, tid: number) => number): P => ({
  name: 'removeVsegLocked',
  entry: 'lock',
  steps: {
    lock: {
      footprint: () => [],
      run: (s, f, ctx) => {
        const pid = f.locals.pid as number;
        return call('remoteRwlockWrAcquire', { lock: gptLockPath(pid, which(s, pid, ctx.tid)) }, 'remove');
      },
    },
    remove: {
      footprint: () => [],
      run: (_s, f) =>
        call(
          'removeVseg',
          { pid: f.locals.pid as number, base: f.locals.base as number, locked: true },
          'unlock',
        ),
    },
    unlock: {
      footprint: () => [],
      run: (s, f, ctx) => {
        const pid = f.locals.pid as number;
        return call('remoteRwlockWrRelease', { lock: gptLockPath(pid, which(s, pid, ctx.tid)) }, 'done');
      },
    },
    done: { footprint: () => [], run: () => ret(null) },
  },
});
/** removeVsegLocked (G2) resetting the PTEs without locking them. */
const noPteLock: P = {
  name: 'removeVsegLocked',
  entry: 'remove',
  steps: {
    remove: {
      footprint: () => [],
      run: (_s, f) =>
        call('removeVseg', { pid: f.locals.pid as number, base: f.locals.base as number }, 'done'),
    },
    done: { footprint: () => [], run: () => ret(null) },
  },
};
const attachUnchecked: P = {
  ...getVseg,
  steps: {
    ...getVseg.steps,
    attach: {
      // The real step's footprint (it writes the copy's VSL): an empty one would let copy-on-write
      // search share the VSL it writes with the parent state (search/audit.ts catches that).
      footprint: (getVseg.steps.attach as P['steps'][string]).footprint,
      run(s, f, ctx) {
        const knobs = s.knobs;
        s.knobs = { ...knobs, munmapProtocol: 'documented' };
        try {
          return (getVseg.steps.attach as P['steps'][string]).run(s, f, ctx);
        } finally {
          s.knobs = knobs;
        }
      },
    },
  },
};

describe('every part of detachFirst is needed (BFS with one part removed)', () => {
  const corrected = (generation: 'G1' | 'G2', extra: Config = {}) => ({
    generation,
    munmapProtocol: 'detachFirst',
    ...extra,
  });
  it.each(['G1', 'G2'] as const)('%s: getVseg attaching without re-reading the reference', (g) => {
    const r = bfs('munmap-race', corrected(g), { getVseg: attachUnchecked });
    expect(r.violation?.message).toBe('P0 c1 has DATA vseg [0, 1) that the reference VSL (c0) does not have');
  });

  it('G1 and G2: page faults not re-checking the vseg under their lock', () => {
    const g1 = skip(skip(handlePageFault, 'falseRecheck', 'falseCopy'), 'trueRecheck', 'trueReread');
    const g2 = skip(handlePageFaultG2, 'recheckVseg', 'checkLocal');
    for (const g of ['G1', 'G2'] as const) {
      const r = bfs('munmap-race', corrected(g), { handlePageFault: g1, handlePageFaultG2: g2 });
      expect(r.violation?.name).toBe('mappingsInsideVsegs');
    }
  });

  it('G1 clearing under gpt(K) only: a true fault stores the copy entry holding only gpt(R)', () => {
    const local = oneGptLock((s, _p, tid) => here(s, tid));
    expect(bfs('munmap-race', corrected('G1'), { removeVsegLocked: local }).verdict).toBe('pass');
    const r = bfs('munmap-true-fault-race', corrected('G1'), { removeVsegLocked: local });
    expect(r.violation?.message).toBe('P0 c1 vpn 0 -> ppn 0 (MSRWCU) lies in no vseg of the VSL of c1');
  });

  it('G1 clearing under gpt(R) only: a false fault stores under gpt(K) (unless faultHoldsRefLock)', () => {
    const ref = oneGptLock((s, pid) => proc(s, pid).ref);
    expect(bfs('munmap-race', corrected('G1'), { removeVsegLocked: ref }).violation?.name).toBe(
      'mappingsInsideVsegs',
    );
    const held = corrected('G1', { faultHoldsRefLock: true });
    expect(bfs('munmap-race', held, { removeVsegLocked: ref }).verdict).toBe('pass');
  });

  it('G2 resetting the PTEs without lockPte', () => {
    const r = bfs('munmap-race', corrected('G2'), { removeVsegLocked: noPteLock });
    expect(r.violation?.name).toBe('mappingsInsideVsegs');
  });
});

/** One DATA vseg of 2 pages mapped in the reference c0 and in c1; the thread in c1 unmaps it. */
const fromCopy: Scenario = {
  clusters: 2,
  coresPerCluster: 1,
  framesPerCluster: 3,
  wordsPerPage: 1,
  vpnCount: 8,
  processes: [
    {
      ref: 0,
      vsegs: [{ type: 'DATA', base: 0, size: 2 }],
      pages: [
        { vpn: 0, content: [10] },
        { vpn: 1, content: [11] },
      ],
      threads: [
        {
          cxy: 1,
          ops: [
            { op: 'load', va: 0 },
            { op: 'munmap', base: 0 },
            { op: 'load', va: 1 },
          ],
        },
      ],
    },
  ],
};

describe.each(['G1', 'G2'] as const)('detachFirst munmap from a copy, sequential (%s)', (generation) => {
  it('clears and detaches every copy, drops the mark, frees the pages; a later load faults', () => {
    const m = almos();
    const inst = new Instance<AlmosShared>(m, {
      ...m.defaultConfig,
      scenario: JSON.stringify(fromCopy),
      generation,
      munmapProtocol: 'detachFirst',
    });
    const e = run(inst);
    expect(e.violation).toBeNull();
    for (const c of e.state.shared.proc[0]?.copy ?? []) {
      expect(c?.vsl).toEqual([]);
      expect(c?.gpt).toEqual({});
      expect(c?.deleting).toBeUndefined();
    }
    expect(e.state.shared.page.every((p) => p.free)).toBe(true);
    expect(localValues(e.trace ?? [], 0, 'munmapResult')).toEqual([0]);
    expect(localValues(e.trace ?? [], 0, 'killed')).toEqual([true]);
    const labels = (e.trace ?? []).map((t) => t.label);
    expect(labels).toContain('globalDeleteVseg.markDeleting');
    expect(labels.filter((l) => l === 'removeVsegLocked.lockRefGpt')).toHaveLength(2);
    expect(labels.includes('removeVseg.gotLockedPte')).toBe(generation === 'G2');
  });
});

describe('traced random runs with detachFirst (footprints validated, every invariant)', () => {
  const scenarios: Array<[string, string]> = [
    ...Object.keys(builtinScenarios).map((k): [string, string] => [k, k]),
    ['mixed', JSON.stringify(mixed)],
  ];
  it.each([
    ['g1Corrected', g1Corrected],
    ['g2Corrected', g2Corrected],
  ] as const)('every built-in scenario and mixed, %s', (_n, knobs) => {
    const m = almos();
    for (const [name, scenario] of scenarios) {
      const extra = name === 'cow-enomem' ? { allocFailures: true } : {};
      const inst = new Instance(m, {
        ...m.defaultConfig,
        scenario,
        ...knobs,
        ...extra,
        munmapProtocol: 'detachFirst',
      });
      for (let r = 0; r < 20; r++) {
        const e = execute(inst, randomScheduler(7), r, {
          maxSteps: 20_000,
          checkInvariants: true,
          trace: true,
        });
        expect(e.violation, `${name} run ${r}`).toBeNull();
      }
    }
  });

  it.each([
    ['g1Documented', g1Documented],
    ['g2Documented', g2Documented],
  ] as const)('mixed with %s: the munmap/fault race is gone', (_n, knobs) => {
    const m = almos();
    const inst = new Instance(m, {
      ...m.defaultConfig,
      scenario: JSON.stringify(mixed),
      ...knobs,
      munmapProtocol: 'detachFirst',
    });
    for (let r = 0; r < 200; r++) {
      const e = execute(inst, randomScheduler(5), r, {
        maxSteps: 5000,
        checkInvariants: true,
        trace: false,
      });
      expect(e.violation, `run ${r}`).toBeNull();
    }
  });
});
