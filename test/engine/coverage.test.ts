/**
 * Coverage (src/engine/coverage.ts) and its campaign hook: exact counts of steps and procedure entries
 * on a tiny model (calls, a loop, a spawned thread, a step and a procedure that never run), the text
 * summary, totals that agree with the campaign's step count, and determinism for a seed.
 */
import { describe, expect, it } from 'vitest';
import { runCampaign } from '../../src/engine/campaign.js';
import { Coverage, coverageSummary, coverageTable } from '../../src/engine/coverage.js';
import { execute } from '../../src/engine/executor.js';
import { Instance, newThread } from '../../src/engine/instance.js';
import { makeScheduler } from '../../src/engine/schedulers/index.js';
import type { Procedure } from '../../src/engine/types.js';
import { call, ret } from '../../src/engine/types.js';
import { lostUpdate } from '../../src/models/examples/lostUpdate.js';
import { instance, opts, serial } from './support/toyModels.js';

type S = { loops: number };
const main: Procedure<S> = {
  name: 'main',
  entry: 'start',
  steps: {
    start: { run: () => call('helper', {}, 'spawnIt') },
    spawnIt: {
      run: (_s, _f, ctx) => {
        ctx.spawn('W', 'worker', {});
        return 'loop';
      },
    },
    loop: {
      run: (s) => {
        s.loops++;
        return s.loops < 3 ? 'loop' : ret();
      },
    },
    never: { run: () => ret() },
  },
};
const helper: Procedure<S> = {
  name: 'helper',
  entry: 'a',
  steps: { a: { run: () => 'b' }, b: { run: () => ret() } },
};
const worker: Procedure<S> = { name: 'worker', entry: 'w', steps: { w: { run: () => ret() } } };
const orphan: Procedure<S> = { name: 'orphan', entry: 'x', steps: { x: { run: () => ret() } } };
const tiny = instance<S>({
  init: () => ({ shared: { loops: 0 }, threads: [newThread(0, 'M', main)] }),
  procedures: { main, helper, worker, orphan },
});

describe('coverage of a tiny model', () => {
  const cov = new Coverage();
  for (let run = 0; run < 2; run++) execute(tiny, serial(), run, opts({ coverage: cov }));
  const t = coverageTable(cov, tiny.procedures);

  it('counts every step executed and every procedure entered (calls, spawns, initial frames)', () => {
    expect(t.runs).toBe(2);
    expect(t.byStep).toEqual([
      { step: 'main.start', count: 2 },
      { step: 'main.spawnIt', count: 2 },
      { step: 'main.loop', count: 6 },
      { step: 'main.never', count: 0 },
      { step: 'helper.a', count: 2 },
      { step: 'helper.b', count: 2 },
      { step: 'worker.w', count: 2 },
      { step: 'orphan.x', count: 0 },
    ]);
    expect(t.byProcedure.map((p) => [p.name, p.entered, p.steps, p.stepsRan, p.stepsTotal])).toEqual([
      ['main', 2, 10, 3, 4],
      ['helper', 2, 4, 2, 2],
      ['worker', 2, 2, 1, 1],
      ['orphan', 0, 0, 0, 1],
    ]);
  });

  it('lists what never ran: procedures never entered, and the never-run steps of the others', () => {
    expect(t.procedures).toEqual({ ran: 3, total: 4 });
    expect(t.steps).toEqual({ ran: 6, total: 8 });
    expect(t.neverEntered).toEqual(['orphan']);
    expect(t.neverRun).toEqual(['main.never']);
  });

  it('summarises in a few lines, most run first (ties by name)', () => {
    expect(coverageSummary(t)).toEqual([
      'coverage (2 runs): 3 of 4 procedures entered, 6 of 8 steps run',
      '  never entered (1):',
      '    orphan',
      '  never run, in entered procedures (1):',
      '    main.never',
      '  most run:',
      '    main.loop 6, helper.a 2, helper.b 2, main.spawnIt 2, main.start 2',
    ]);
  });
});

describe('campaign coverage', () => {
  const sched = (seed: number) => makeScheduler('portfolio', { seed, pctDepth: 3, stepsEstimate: 50 });
  const exec = { maxSteps: 1000, checkInvariants: true };

  it('is counted only when asked, and covers the failing run up to its violation', () => {
    const inst = new Instance(lostUpdate, { threads: 3, increments: 2 });
    expect(runCampaign(inst, sched(1), 50, exec).coverage).toBeNull();
    const r = runCampaign(inst, sched(1), 50, { ...exec, coverage: true });
    expect(r.violation?.name).toBe('noLostUpdate');
    const t = r.coverage;
    expect(t?.runs).toBe(r.runs);
    expect(t?.byStep.reduce((n, s) => n + s.count, 0)).toBe(r.steps);
    // Every thread runs `increment` once from its initial frame: one entry per thread per run.
    expect(t?.byProcedure).toEqual([
      { name: 'increment', entered: 3 * r.runs, steps: r.steps, stepsRan: 2, stepsTotal: 2 },
    ]);
  });

  it('is deterministic for a seed, and coverage does not change the campaign', () => {
    const inst = new Instance(lostUpdate, { threads: 4, increments: 3 });
    const a = runCampaign(inst, sched(5), 30, { ...exec, coverage: true });
    const b = runCampaign(inst, sched(5), 30, { ...exec, coverage: true });
    expect(b).toEqual(a);
    const plain = runCampaign(inst, sched(5), 30, exec);
    expect({ ...a, coverage: null }).toEqual(plain);
  });
});
