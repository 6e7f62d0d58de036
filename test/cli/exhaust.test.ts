/**
 * `mmcheck exhaust`: BFS and DFS+POR find the lost update; statistics; the failure file replays;
 * findings of different configurations get different failure files.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonOf, run } from './helpers.js';

describe('mmcheck exhaust', () => {
  it('--bfs finds the shortest lost update (exit 1, statistics, failure file)', async () => {
    const r = await run(['exhaust', '--model', 'lost-update', '--bfs']);
    expect(r.code).toBe(1);
    expect(r.err).toEqual([]);
    const text = r.out.join('\n');
    for (const field of [
      'states:',
      'transitions:',
      'max depth:',
      'time:',
      'states/s:',
      'bytes/state:',
      'collision p:',
    ]) {
      expect(text).toContain(field);
    }
    expect(text).toContain('verdict:      violation');
    expect(text).toContain("VIOLATION invariant 'noLostUpdate' violated after step 4");
    expect(text).toContain('seed:      0');
    expect(text).toContain('run:       none (exhaustive search)');
    expect(text).toContain('scheduler: bfs');
    const files = readdirSync(join(r.cwd, 'mmcheck-failures'));
    expect(files).toEqual([expect.stringMatching(/^lost-update-noLostUpdate-0-0-[0-9a-f]{8}\.json$/)]);
    expect(text).toContain(`file:      ${join(r.cwd, 'mmcheck-failures', files[0] as string)}`);
  });

  it('findings of two configurations in one directory get two files; the same one again, none', async () => {
    const a = jsonOf(await run(['exhaust', '--model', 'lost-update', '--json']));
    const cwd = join(a.failureFile as string, '..', '..');
    const b = jsonOf(await run(['exhaust', '--model', 'lost-update', '--set', 'threads=3', '--json'], cwd));
    const again = jsonOf(await run(['exhaust', '--model', 'lost-update', '--json'], cwd));
    expect(b.failureFile).not.toBe(a.failureFile);
    expect(again.failureFile).toBe(a.failureFile);
    expect(readdirSync(join(cwd, 'mmcheck-failures')).sort()).toEqual(
      [a.failureFile, b.failureFile].map((f) => (f as string).split('/').at(-1)).sort(),
    );
  });

  it('--dfs --por --json: one object with the search statistics', async () => {
    const r = await run([
      'exhaust',
      '--model',
      'lost-update',
      '--set',
      'threads=3',
      '--dfs',
      '--por',
      '--json',
    ]);
    expect(r.code).toBe(1);
    const j = jsonOf(r);
    expect(j).toMatchObject({ verdict: 'violation', violation: 'noLostUpdate', strategy: 'dfs+por' });
    for (const k of [
      'states',
      'steps',
      'transitions',
      'maxDepth',
      'ms',
      'bytesPerState',
      'collisionProbability',
    ]) {
      expect(typeof j[k]).toBe('number');
    }
    expect(j.steps).toBe(j.transitions);
    expect(j.replay).toMatch(/^mm1:lost-update:0:/);
    const back = await run(['replay', j.failureFile as string]);
    expect(back.code).toBe(1);
    expect(back.out.at(-1)).toBe('reproduced: same violation, same trace');
  });

  it('a single thread passes (exit 0)', async () => {
    const r = await run(['exhaust', '--model', 'lost-update', '--set', 'threads=1', '--json']);
    expect(r.code).toBe(0);
    expect(jsonOf(r)).toMatchObject({ verdict: 'pass', violation: null, replay: null });
  });

  it('a state budget too small is incomplete (exit 0)', async () => {
    const r = await run([
      'exhaust',
      '--model',
      'lost-update',
      '--set',
      'threads=1',
      '--max-states',
      '1',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(jsonOf(r)).toMatchObject({ verdict: 'incomplete', incompleteReason: expect.any(String) });
  });

  it('--dfs with a preemption bound', async () => {
    const r = await run(['exhaust', '--model', 'lost-update', '--dfs', '--preemptions', '0', '--json']);
    expect([0, 1]).toContain(r.code);
    expect(jsonOf(r).strategy).toBe('dfs+pb0');
  });
});
