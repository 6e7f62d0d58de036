/** `mmcheck exhaust`: BFS and DFS+POR find the lost update; statistics; the failure file replays. */
import { existsSync } from 'node:fs';
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
    expect(text).toContain('scheduler: bfs');
    expect(existsSync(`${r.cwd}/mmcheck-failures/lost-update-noLostUpdate-0-0.json`)).toBe(true);
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
