/**
 * The manifest, run here and only here (test/cli/check.test.ts tests the command on single rows):
 * every small row through the runner of `mmcheck check` (manifestRun.ts) with the footprint audit on,
 * so every step of every row's search has its writes validated against its footprint, at full
 * budgets (the audit costs about a third more CPU than the plain search: 15 s -> 21 s for all rows). A row meets its expectation with the
 * evidence it names: the violation with its recorded shortest counterexample length, or a pass of a
 * complete search (of a cut one only if `bounded`, of random runs only if it has no search). Also:
 * what subset rows say of all the invariants holds; every scheduler meets each row within its runs.
 */
import { describe, expect, it } from 'vitest';
import { runCampaign } from '../../src/engine/campaign.js';
import { resolveConfig } from '../../src/engine/config.js';
import { Instance } from '../../src/engine/instance.js';
import { makeScheduler, schedulerNames } from '../../src/engine/schedulers/index.js';
import { findModel, models } from '../../src/models/index.js';
import { manifest } from '../../src/models/manifest.js';
import { searchBudget } from '../../src/models/manifestRow.js';
import { runRow } from '../../src/models/manifestRun.js';
import { schedulerOptions } from './support.js';

const outcome = (v: { name: string } | null) => (v === null ? 'pass' : `violation:${v.name}`);
const small = manifest.filter((r) => r.small);

describe('manifest', () => {
  it('names registered models with valid configurations, each row once', () => {
    expect(new Set(manifest.map((r) => r.name)).size).toBe(manifest.length);
    for (const row of manifest) {
      const model = findModel(row.model);
      expect(() => resolveConfig(model, row.config), row.name).not.toThrow();
    }
  });

  it('has a row for every registered model', () => {
    for (const m of models)
      expect(
        manifest.some((r) => r.model === m.name),
        m.name,
      ).toBe(true);
  });

  it('says what evidence each row rests on', () => {
    for (const row of manifest) {
      const searched = searchBudget(row) > 0;
      // A searched violation records its shortest counterexample; a row without search has runs.
      if (row.expected !== 'pass' && searched) expect(row.shortest, row.name).toBeGreaterThan(0);
      if (!searched) expect(row.runs, row.name).toBeGreaterThan(0);
      if (row.bounded !== undefined) expect([row.name, searched]).toEqual([row.name, true]);
      // A subset row says what all the invariants give (checked below).
      expect([row.name, row.invariants === undefined]).toEqual([row.name, row.allInvariants === undefined]);
    }
  });
});

describe('every small row meets its expectation (mmcheck check, footprints audited)', () => {
  for (const row of small) {
    it(`${row.name}: ${row.expected}${row.shortest ? ` in ${row.shortest} steps` : ''}`, () => {
      const o = runRow(row, { auditFootprints: true });
      expect(o.ok, `${row.name}: got ${o.got}`).toBe(true);
      if (row.expected !== 'pass' && searchBudget(row) > 0) {
        expect([o.search, o.shortest]).toEqual([row.expected, row.shortest]);
      }
      // A bounded row whose search now ends should drop `bounded`; an unbounded pass is complete.
      if (row.expected === 'pass' && searchBudget(row) > 0) {
        expect(o.search).toBe(row.bounded === undefined ? 'pass' : 'incomplete');
      }
    });
  }
});

describe('rows checking a subset of the invariants', () => {
  for (const row of small.filter((r) => r.invariants !== undefined)) {
    it(`${row.name}: all invariants give ${row.allInvariants}`, () => {
      const all = { ...row, invariants: undefined, runs: 0, shortest: undefined };
      expect(runRow(all).search).toBe(row.allInvariants);
    });
  }
});

describe('every scheduler meets the rows with random runs', () => {
  for (const row of small.filter((r) => r.runs > 0)) {
    for (const scheduler of schedulerNames) {
      it(`${row.name} under ${scheduler}: ${row.expected} within ${row.runs} runs`, () => {
        const model = findModel(row.model);
        const inst = new Instance(model, resolveConfig(model, row.config));
        const result = runCampaign(inst, makeScheduler(scheduler, schedulerOptions), row.runs);
        expect(outcome(result.violation)).toBe(row.expected);
        expect(result.runs).toBe(result.violation === null ? row.runs : (result.failingRun as number) + 1);
      });
    }
  }
});
