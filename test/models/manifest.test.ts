/**
 * Every small manifest row meets its expectation: under every scheduler within its run budget (seed 1,
 * PCT depth 3) when it has one, and by exhaustive BFS within its state budget when it has one — a
 * violation with exactly the recorded shortest counterexample length, or a complete pass.
 */
import { describe, expect, it } from 'vitest';
import { runCampaign } from '../../src/engine/campaign.js';
import { resolveConfig } from '../../src/engine/config.js';
import { Instance } from '../../src/engine/instance.js';
import { makeScheduler, schedulerNames } from '../../src/engine/schedulers/index.js';
import { defaultSearchOptions, search } from '../../src/engine/search/index.js';
import { findModel, models } from '../../src/models/index.js';
import { manifest, restrictInvariants } from '../../src/models/manifest.js';
import { schedulerOptions } from './support.js';

const outcome = (v: { name: string } | null) => (v === null ? 'pass' : `violation:${v.name}`);

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

  for (const row of manifest.filter((r) => r.small && (r.maxStates ?? 0) > 0)) {
    it(`${row.name} by BFS: ${row.expected}${row.shortest ? ` in ${row.shortest} steps` : ''}`, () => {
      const model = findModel(row.model);
      const m = row.invariants ? restrictInvariants(model, row.invariants) : model;
      const inst = new Instance(m, resolveConfig(model, row.config));
      const r = search(inst, {
        ...defaultSearchOptions,
        strategy: 'bfs',
        maxStates: row.maxStates as number,
      });
      expect(outcome(r.violation)).toBe(row.expected);
      if (row.expected === 'pass') expect(r.verdict).toBe('pass');
      else expect((r.decisions as number[]).filter((d) => d % 2 === 0)).toHaveLength(row.shortest as number);
    });
  }

  it('every row expecting a violation records its shortest counterexample when searched', () => {
    for (const row of manifest) {
      if (row.expected !== 'pass' && (row.maxStates ?? 0) > 0 && row.model === 'almos') {
        expect(row.shortest, row.name).toBeGreaterThan(0);
      }
    }
  });

  for (const row of manifest.filter((r) => r.small && r.runs > 0)) {
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
