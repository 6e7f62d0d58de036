/**
 * The example models, one by one: traced runs respect the declared footprints and reach every step,
 * mayAccess over-approximates what each thread later touches, failing runs replay (traced) to the same
 * violation, and the checks are not vacuous (mutants with a wrong footprint, mayAccess or a missing
 * guard are caught).
 */
import { describe, expect, it } from 'vitest';
import { buildFailureReport, runCampaign } from '../../src/engine/campaign.js';
import { resolveConfig } from '../../src/engine/config.js';
import { HarnessError } from '../../src/engine/errors.js';
import { type ExecOptions, execute } from '../../src/engine/executor.js';
import { Instance } from '../../src/engine/instance.js';
import { makeScheduler } from '../../src/engine/schedulers/index.js';
import { randomScheduler } from '../../src/engine/schedulers/random.js';
import type { AnyModel, Config } from '../../src/engine/types.js';
import { findModel } from '../../src/models/index.js';
import { manifest } from '../../src/models/manifest.js';
import { mayAccessProblems, schedulerOptions, withStep } from './support.js';

const examples = ['mutex-counter', 'peterson', 'peterson-broken', 'lock-inversion'];
const rows = manifest.filter((r) => examples.includes(r.model));
const traced: ExecOptions = { maxSteps: 1000, checkInvariants: true, trace: true };

const instance = (model: AnyModel, config: Config = {}) => new Instance(model, resolveConfig(model, config));
const tracedExecutions = (inst: Instance, runs: number) =>
  Array.from({ length: runs }, (_, run) => execute(inst, randomScheduler(1), run, traced));

/** A random campaign, and the traced report of its failing run (null when every run passed). */
function campaignReport(inst: Instance, runs: number) {
  const result = runCampaign(inst, makeScheduler('random', schedulerOptions), runs);
  if (result.failingRun === null || result.decisions === null) return { result, report: null };
  const input = { seed: 1, run: result.failingRun, scheduler: 'random', decisions: result.decisions };
  return { result, report: buildFailureReport(inst, input) };
}

describe.each(rows)('example $name', (row) => {
  const model = findModel(row.model);
  const inst = instance(model, row.config);

  it('respects its footprints in 50 traced runs and reaches every step', () => {
    const labels = new Set<string>();
    for (const e of tracedExecutions(inst, 50)) for (const entry of e.trace ?? []) labels.add(entry.label);
    const all = Object.values(model.procedures).flatMap((p) =>
      Object.keys(p.steps).map((l) => `${p.name}.${l}`),
    );
    expect([...labels].sort()).toEqual(all.sort());
  });

  it('declares a mayAccess that covers every later step of each thread', () => {
    for (const e of tracedExecutions(inst, 50)) expect(mayAccessProblems(inst, e)).toEqual([]);
  });
});

describe.each(rows.filter((r) => r.expected !== 'pass'))('failing example $name', (row) => {
  it('replays its failing run, traced, to the same expected violation', () => {
    const { result, report } = campaignReport(instance(findModel(row.model), row.config), row.runs);
    expect(`violation:${result.violation?.name}`).toBe(row.expected);
    expect(report?.violation).toEqual(result.violation);
    expect(report?.trace.length).toBe(result.violation?.step);
    expect(report?.trace.at(-1)?.step).toBe(result.violation?.step);
  });
});

describe('what the failing traces show', () => {
  it('peterson-broken: the second thread enters while the first is inside', () => {
    const { report } = campaignReport(instance(findModel('peterson-broken')), 1000);
    const trace = report?.trace ?? [];
    expect(trace.filter((e) => e.label === 'peterson.enterCs').map((e) => e.tid)).toHaveLength(2);
    expect(trace.at(-1)?.label).toBe('peterson.enterCs');
    expect(trace.some((e) => e.label === 'peterson.exitCs')).toBe(false);
  });

  it('lock-inversion: each thread holds its first lock and waits for the other', () => {
    const { report } = campaignReport(instance(findModel('lock-inversion')), 200);
    expect(report?.violation.kind).toBe('deadlock');
    expect(report?.violation.message).toContain('T0 at twoLocks.lockSecond');
    expect(report?.violation.message).toContain('T1 at twoLocks.lockSecond');
  });
});

describe('the checks catch broken models', () => {
  const mutexCounter = findModel('mutex-counter');

  it('mutex-counter without the lock guard loses mutual exclusion, and the replay shows it', () => {
    const unguarded = withStep(mutexCounter, 'increment', 'lock', { guard: undefined });
    const { result, report } = campaignReport(instance(unguarded), 200);
    expect(result.violation?.name).toBe('mutualExclusion');
    expect(report?.violation.name).toBe('mutualExclusion');
  });

  it('mutex-counter noLostUpdate rejects a final counter short of threads * increments', () => {
    const inst = instance(mutexCounter, { threads: 3 });
    const state = (counter: number) => ({ shared: { lock: -1, counter, inside: 0 }, threads: [] });
    expect(inst.check(state(2), inst.quiescentInvariants)?.name).toBe('noLostUpdate');
    expect(inst.check(state(3), inst.quiescentInvariants)).toBeNull();
  });

  it('a store whose footprint omits its write fails traced runs with a HarnessError', () => {
    const readOnly = withStep(mutexCounter, 'increment', 'store', {
      footprint: () => [{ obj: 'counter', write: false }],
    });
    const run = () => tracedExecutions(instance(readOnly), 1);
    expect(run).toThrow(HarnessError);
    expect(run).toThrow("footprint of increment.store misses its write to 'counter'");
  });

  it('a mayAccess that forgets the flags is reported', () => {
    const peterson = findModel('peterson');
    const forgetful: AnyModel = { ...peterson, mayAccess: () => [{ obj: 'inCs', write: true }] };
    const inst = instance(forgetful);
    const problems = tracedExecutions(inst, 1).flatMap((e) => mayAccessProblems(inst, e));
    expect(problems.some((p) => /setFlag: w:flag\.[01] not in mayAccess\(T[01]\)/.test(p))).toBe(true);
  });
});
