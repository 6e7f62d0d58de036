/** `mmcheck explore`: finds the lost update (exit 1, report, failure file, JSON), passes a correct model. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { failureFormat } from '../../src/engine/recipe.js';
import { manifest } from '../../src/models/manifest.js';
import { jsonOf, run } from './helpers.js';

/** The one failure file in `cwd`, named for seed 1 and run 1. */
function lostUpdateFile(cwd: string): string {
  const files = readdirSync(join(cwd, 'mmcheck-failures'));
  expect(files).toEqual([expect.stringMatching(/^lost-update-noLostUpdate-1-1-[0-9a-f]{8}\.json$/)]);
  return join(cwd, 'mmcheck-failures', files[0] as string);
}

describe('mmcheck explore', () => {
  it('finds the lost update: exit 1, full report, failure file', async () => {
    const r = await run(['explore', '--model', 'lost-update']);
    expect(r.code).toBe(1);
    expect(r.err).toEqual([]);
    const text = r.out.join('\n');
    expect(r.out[0]).toBe("VIOLATION invariant 'noLostUpdate' violated after step 4: x = 1, expected 2");
    expect(text).toContain('model:     lost-update');
    expect(text).toContain('config:    threads=2 increments=1');
    expect(text).toContain('seed:      1');
    expect(text).toContain('run:       1');
    expect(text).toMatch(/scheduler: portfolio:/);
    expect(text).toMatch(/replay: {4}mm1:lost-update:1:/);
    expect(text).toMatch(/command: {3}npx mmcheck replay 'mm1:lost-update:1:[^']+'/);
    expect(text).toContain(`file:      ${lostUpdateFile(r.cwd)}`);
    expect(text).toMatch(/#4 T\d increment\.store/);
    const report = JSON.parse(readFileSync(lostUpdateFile(r.cwd), 'utf8'));
    expect(report.format).toBe(failureFormat);
    expect(report.violation.name).toBe('noLostUpdate');
    expect(report.trace).toHaveLength(4);
    expect(report.run).toBe(1);
    const found = r.out.findIndex((l) => /^found in run 1 of 1000 \(/.test(l));
    expect(found).toBeGreaterThan(0);
    expect(r.out[found + 1]).toMatch(/^coverage \(1 runs?\): /);
  });

  it('--json prints exactly one object with the verdict, counts and the failure file', async () => {
    const r = await run([
      'explore',
      '--model',
      'lost-update',
      '--json',
      '--scheduler',
      'random',
      '--seed',
      '7',
    ]);
    expect(r.code).toBe(1);
    const j = jsonOf(r);
    expect(j).toMatchObject({
      verdict: 'violation',
      violation: 'noLostUpdate',
      runs: expect.any(Number),
      seed: 7,
    });
    expect(j.steps).toBeGreaterThanOrEqual(4);
    expect(typeof j.ms).toBe('number');
    expect(j.replay).toMatch(/^mm1:lost-update:7:/);
    expect(j.failingRun).toBe(j.runs);
    expect(j.failureFile).toMatch(new RegExp(`lost-update-noLostUpdate-7-${j.runs}-[0-9a-f]{8}\\.json$`));
    expect(JSON.parse(readFileSync(j.failureFile as string, 'utf8')).run).toBe(j.runs);
  });

  it('is deterministic: same flags, same replay string', async () => {
    const argv = [
      'explore',
      '--model',
      'lost-update',
      '--set',
      'threads=3',
      '--scheduler',
      'pct',
      '--seed',
      '42',
      '--json',
    ];
    const a = jsonOf(await run(argv));
    const b = jsonOf(await run(argv));
    expect(a.replay).toBe(b.replay);
    expect(a.runs).toBe(b.runs);
  });

  it('passes a correct manifest model: exit 0, no failure file', async () => {
    const row = manifest.find((x) => x.expected === 'pass' && x.small);
    const argv = row
      ? [
          'explore',
          '--model',
          row.model,
          ...Object.entries(row.config).flatMap(([k, v]) => ['--set', `${k}=${v}`]),
        ]
      : ['explore', '--model', 'lost-update', '--set', 'threads=1'];
    const r = await run([...argv, '--runs', '200']);
    expect(r.code).toBe(0);
    expect(r.err).toEqual([]);
    expect(r.out[0]).toMatch(/no violation in 200 runs/);
    expect(r.out[1]).toMatch(/^coverage \(200 runs\): /);
    expect(existsSync(join(r.cwd, 'mmcheck-failures'))).toBe(false);
  });

  it('--json on a pass', async () => {
    const r = await run([
      'explore',
      '--model',
      'lost-update',
      '--set',
      'threads=1',
      '--runs',
      '10',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(jsonOf(r)).toMatchObject({ verdict: 'pass', violation: null, runs: 10, steps: 20, replay: null });
    expect(jsonOf(r)).not.toHaveProperty('failureFile');
  });

  it('reports a livelock when --max-steps is below the run length', async () => {
    const r = await run([
      'explore',
      '--model',
      'lost-update',
      '--set',
      'threads=1',
      '--max-steps',
      '1',
      '--json',
    ]);
    expect(r.code).toBe(1);
    expect(jsonOf(r)).toMatchObject({ verdict: 'violation', violation: 'livelock' });
  });
});
