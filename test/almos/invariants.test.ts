/**
 * The ALMOS invariants end to end: the twelve of the spec and the three protocol checks are registered
 * with their names and checking times; they hold on the initial states, traced random runs and the
 * exhaustive search of the built-in scenarios (G1 and G2); and each one fires, with a shortest (BFS)
 * counterexample that replays traced to the same violation, on a deliberately broken page fault
 * handler or removeVseg, a documented design, or a corrupted initial state. Unit tests of each check on
 * hand-built states are in invariantChecks.test.ts; noKernelPanic's two halves in noKernelPanic.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { replayDecisions, runCampaign } from '../../src/engine/campaign.js';
import { execute } from '../../src/engine/executor.js';
import { Instance } from '../../src/engine/instance.js';
import { randomScheduler } from '../../src/engine/schedulers/random.js';
import { defaultSearchOptions, search } from '../../src/engine/search/index.js';
import type { Model, Procedure } from '../../src/engine/types.js';
import type { Pte } from '../../src/hw/pte.js';
import { almosInvariants } from '../../src/models/almos/invariants/index.js';
import { type AlmosConfig, almos, almosModel } from '../../src/models/almos/model.js';
import type { AlmosShared, PageDesc, Vseg } from '../../src/models/almos/state.js';
import { restrictInvariants } from '../../src/models/manifest.js';
import { munmapOwn, rows } from './invariantRows.js';
import * as broken from './invariantVariants.js';

type M = Model<AlmosShared, AlmosConfig>;
const instance = (model: M, scenario: string, knobs: Partial<AlmosConfig> = {}) =>
  new Instance<AlmosShared>(model, { ...almosModel.defaultConfig, scenario, ...knobs });
const bfs = (inst: Instance<AlmosShared>) =>
  search(inst, { ...defaultSearchOptions, strategy: 'bfs', maxStates: 200_000 });

const specOrder = [
  'copyCoherence',
  'copySubsetOfReference',
  'privateLocality',
  'placement',
  'forksAccounting',
  'noWritableSharing',
  'cowExcludesWritable',
  'noUseAfterFree',
  'mappingsInsideVsegs',
  'lockDiscipline',
  'refinement',
  'noKernelPanic',
  'forksNonNegative',
  'refcountMatchesPtes',
  'vslNoOverlap',
];

describe('the ALMOS invariant registry', () => {
  it('has the twelve spec invariants then the three protocol checks, quiescent exactly where the spec marks Q, each declaring its reads', () => {
    expect(almosInvariants.map((i) => i.name)).toEqual(specOrder);
    const quiescent = almosInvariants.filter((i) => i.when === 'quiescent').map((i) => i.name);
    expect(quiescent).toEqual(['copyCoherence', 'forksAccounting']);
    for (const inv of almosInvariants) expect(inv.reads?.length ?? 0).toBeGreaterThan(0);
    const inst = instance(almosModel, 'faults');
    expect(inst.invariants.map((i) => i.name).sort()).toEqual([...specOrder].sort());
  });
});

const runs = ['G1', 'G2'].flatMap((generation) =>
  ['faults', 'shared-fault'].map((scenario) => ({ generation: generation as 'G1' | 'G2', scenario })),
);

describe.each(runs)('on $scenario ($generation) every invariant holds', ({ generation, scenario }) => {
  const inst = instance(almosModel, scenario, { generation });

  it('on the initial state', () => {
    const st = inst.init();
    for (const inv of almosInvariants) expect(inv.check(st), inv.name).toBeNull();
  });

  it('in 12 traced random runs (footprints validated), the Q ones at each quiescent state', () => {
    for (let run = 0; run < 12; run++) {
      const e = execute(inst, randomScheduler(3), run, {
        maxSteps: 5000,
        checkInvariants: true,
        trace: true,
      });
      expect(e.violation).toBeNull();
      expect(inst.allDone(e.state)).toBe(true);
      for (const inv of almosInvariants) expect(inv.check(e.state), inv.name).toBeNull();
    }
  });

  it('in a 100-run random campaign', () => {
    const result = runCampaign(inst, randomScheduler(9), 100, {
      maxSteps: 5000,
      checkInvariants: true,
    });
    expect(result.violation).toBeNull();
    expect(result.runs).toBe(100);
  });
});

describe('exhaustive search of shared-fault', () => {
  it.each(['G1', 'G2'] as const)('%s: every reachable state satisfies every invariant', (generation) => {
    const r = bfs(instance(almosModel, 'shared-fault', { generation }));
    expect(r.verdict).toBe('pass');
    expect(r.states).toBeGreaterThan(100);
  });
});

describe.each(rows)('$invariant fires on the broken handler $variant', (row) => {
  const variant = (broken as unknown as { [k: string]: Procedure<AlmosShared> })[row.variant];
  if (variant === undefined) throw new Error(`no variant ${row.variant}`);
  const overridden = almos({ overrides: { [row.handler ?? 'handlePageFault']: variant } });
  const model = row.only ? restrictInvariants(overridden, row.only) : overridden;
  const inst = instance(model, row.scenario, { generation: row.generation ?? 'G1' });

  it('with a short BFS counterexample that replays traced to the same violation', () => {
    const r = bfs(inst);
    expect(r.violation?.name).toBe(row.invariant);
    expect(r.violation?.message).toContain(row.says);
    expect(r.violation?.step).toBeLessThanOrEqual(row.within);
    const e = replayDecisions(inst, r.decisions ?? []);
    expect(e.violation).toEqual(r.violation);
    expect(e.trace?.length).toBe(r.violation?.step);
  });

  it('and DFS with partial-order reduction (which trusts the declared reads) finds it too', () => {
    const r = search(inst, { ...defaultSearchOptions, strategy: 'dfs', por: true, maxStates: 200_000 });
    expect(r.violation?.name).toBe(row.invariant);
  });
});

describe('invariants fire at step 0 on a corrupted initial state', () => {
  /** almosModel whose init applies `corrupt` to the shared state. */
  const corrupted = (corrupt: (s: AlmosShared) => void): M => ({
    ...almosModel,
    init: (c) => {
      const st = almosModel.init(c);
      corrupt(st.shared);
      return st;
    },
  });
  const firstViolation = (m: M) => execute(instance(m, 'faults'), randomScheduler(1), 0).violation;

  it('forksAccounting (Q, the initial state is quiescent): an initial page of one holder with forks = 1', () => {
    const v = firstViolation(corrupted((s) => ((s.page[0] as PageDesc).forks = 1)));
    expect(v).toMatchObject({ name: 'forksAccounting', step: 0 });
    expect(v?.message).toContain('ppn 0 (cluster 0): forks = 1 but 1 process(es) hold it');
  });

  it('forksNonNegative: an initial page with forks = -1', () => {
    const v = firstViolation(corrupted((s) => ((s.page[0] as PageDesc).forks = -1)));
    expect(v).toMatchObject({ name: 'forksNonNegative', step: 0 });
    expect(v?.message).toBe('ppn 0 (cluster 0): forks = -1 is negative');
  });

  it('copyCoherence: a copy in cluster 1 maps vpn 0 to another page than the reference', () => {
    const v = firstViolation(
      corrupted((s) => {
        const [ref, c1] = [s.proc[0]?.copy[0], s.proc[0]?.copy[1]];
        if (!ref || !c1) throw new Error('faults: P0 has copies in clusters 0 and 1');
        c1.vsl.push({ ...(ref.vsl[0] as Vseg) });
        c1.gpt[0] = { attr: (ref.gpt[0] as Pte).attr, ppn: (ref.gpt[1] as Pte).ppn };
        (s.page[(ref.gpt[1] as Pte).ppn] as PageDesc).refcount++;
      }),
    );
    expect(v).toMatchObject({ name: 'copyCoherence', step: 0 });
    expect(v?.message).toContain(
      'P0 c1 vpn 0 -> ppn 14 (MSRWCU) in DATA vseg differs from the reference (c0): ppn 0',
    );
  });
});

describe('caught at the step that makes them, not at the next quiescent state', () => {
  const removing = (variant: Procedure<AlmosShared>, only?: readonly string[]) => {
    const model = almos({ overrides: { removeVseg: variant } });
    return bfs(instance(only ? restrictInvariants(model, only) : model, munmapOwn));
  };

  it('noUseAfterFree: the leak is reported at the removeVseg step that drops the last reference', () => {
    const r = removing(broken.keepEverything);
    const e = replayDecisions(
      instance(almos({ overrides: { removeVseg: broken.keepEverything } }), munmapOwn),
      r.decisions ?? [],
    );
    expect(e.trace?.at(-1)?.label).toBe('removeVseg.decRefcount');
  });

  it('forksNonNegative: a transient underflow the free resets, which forksAccounting never sees', () => {
    expect(removing(broken.forksUnderflow).violation?.name).toBe('forksNonNegative');
    expect(removing(broken.forksUnderflow, ['forksAccounting']).verdict).toBe('pass');
  });
});

describe('vslNoOverlap on getvseg-double-attach (docs/findings.md V1)', () => {
  it.each(['G1', 'G2'] as const)(
    '%s as documented attaches the vseg twice; attachRecheck passes',
    (generation) => {
      const doc = bfs(instance(almosModel, 'getvseg-double-attach', { generation }));
      expect(doc.violation).toMatchObject({
        name: 'vslNoOverlap',
        message: 'P0 c1: DATA vseg [0, 1) is attached twice in the VSL',
      });
      expect(doc.violation?.step).toBe(generation === 'G1' ? 41 : 29);
      const fixed = bfs(instance(almosModel, 'getvseg-double-attach', { generation, attachRecheck: true }));
      expect(fixed.verdict).toBe('pass');
    },
  );
});
