/**
 * `--scenario FILE` on explore and exhaust: the file's JSON becomes the `scenario` setting of the almos
 * model (the default model then); a missing or malformed file is a one-line usage error (exit 2).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { builtinScenarios } from '../../src/models/almos/scenarios.js';

const dir = mkdtempSync(join(tmpdir(), 'mmcheck-scenario-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd: dir, now: () => 0 });
  return { code, out, err };
}

describe('--scenario', () => {
  writeFileSync(join(dir, 'fault.json'), JSON.stringify(builtinScenarios['shared-fault']));
  writeFileSync(join(dir, 'race.json'), JSON.stringify(builtinScenarios['fork-sibling-fault']));
  writeFileSync(join(dir, 'bad.json'), '{"clusters": 0}');

  it('explores a scenario file with the almos model', async () => {
    const r = await run(['explore', '--scenario', 'fault.json', '--runs', '20', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out.join(''));
    expect(j).toMatchObject({ verdict: 'pass', model: 'almos', runs: 20 });
    expect(JSON.parse(j.config.scenario)).toEqual(builtinScenarios['shared-fault']);
  });

  it('exhausts a scenario file with knobs and writes a replayable failure', async () => {
    const r = await run(['exhaust', '--scenario', 'race.json', '--set', 'generation=G1', '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out.join(''));
    expect(j.violation).toBe('noWritableSharing');
    const replay = await run(['replay', j.failureFile]);
    expect(replay.code).toBe(1);
    expect(replay.out.join('\n')).toContain('reproduced: same violation, same trace');
  });

  it.each([
    [
      ['explore', '--scenario', 'missing.json'],
      /^mmcheck: explore: scenario file 'missing.json' does not exist$/,
    ],
    [['exhaust', '--scenario', 'bad.json'], /^mmcheck: scenario: clusters: 0 is out of range 1\.\.4$/],
    [['explore', '--model', 'almos', '--set', 'scenario=nope'], /^mmcheck: unknown scenario 'nope'/],
    [['explore', '--model', 'lost-update', '--scenario', 'fault.json'], /has no setting 'scenario'/],
  ])('%j is a one-line usage error', async (args, pattern) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(pattern);
  });
});
