/**
 * `--audit-footprints` on `mmcheck exhaust` and `mmcheck check`: accepted, and on correct models it
 * changes no verdict, count or counterexample (the audit itself, and the mutants it catches, are
 * tested in test/search/footprintAudit.test.ts; an undeclared write is a harness bug, exit 3).
 */
import { describe, expect, it } from 'vitest';
import { jsonOf, run } from './helpers.js';

const withoutTime = (j: Record<string, unknown>) => {
  const { ms: _ms, statesPerSecond: _s, failureFile: _f, ...rest } = j;
  return rest;
};

describe('--audit-footprints', () => {
  it.each([
    ['lost-update', ['--set', 'threads=3'], 1],
    ['mutex-counter', ['--set', 'threads=2', '--set', 'work=1'], 0],
  ] as const)('exhaust --model %s: the same result as without', async (model, set, code) => {
    const args = ['exhaust', '--model', model, ...set, '--json'];
    const plain = await run(args);
    const audited = await run([...args, '--audit-footprints']);
    expect([plain.code, audited.code]).toEqual([code, code]);
    expect(withoutTime(jsonOf(audited))).toEqual(withoutTime(jsonOf(plain)));
  });

  it('check ROW: the same outcome as without, marked audited', async () => {
    const plain = jsonOf(await run(['check', 'peterson', '--json']));
    const audited = jsonOf(await run(['check', 'peterson', '--json', '--audit-footprints']));
    const rows = (j: Record<string, unknown>) =>
      (j.rows as Array<Record<string, unknown>>).map(({ ms: _ms, audited: _a, ...rest }) => rest);
    expect(rows(audited)).toEqual(rows(plain));
    expect([plain.auditFootprints, audited.auditFootprints]).toEqual([false, true]);
  });
});
