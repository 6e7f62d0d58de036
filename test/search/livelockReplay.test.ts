/**
 * A livelock found by search is a replay recipe like any finding: its failure report replays
 * (prefix + one turn of the cycle) to the same livelock and trace, through the engine and through
 * `mmcheck exhaust` / `mmcheck replay`; and a random run that hits the step budget inside a cycle is
 * reported as that cycle, with the thread its scheduler starved.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { buildFailureReport, replayDecisions, runCampaign } from '../../src/engine/campaign.js';
import { resolveConfig } from '../../src/engine/config.js';
import { Instance } from '../../src/engine/instance.js';
import { parseRecipe } from '../../src/engine/recipe.js';
import { makeScheduler } from '../../src/engine/schedulers/index.js';
import { defaultSearchOptions, search } from '../../src/engine/search/index.js';
import type { Config } from '../../src/engine/types.js';
import { findModel } from '../../src/models/index.js';

const polite = (config: Config = {}) => {
  const m = findModel('polite-backoff');
  return new Instance(m, resolveConfig(m, config));
};

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function mmcheck(argv: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  let clock = 0;
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), cwd, now: () => clock++ };
  const code = await main(argv, io);
  return { code, out, err };
}

describe('a searched livelock replays', () => {
  it('its failure report replays to the same livelock and trace', () => {
    const i = polite();
    const r = search(i, { ...defaultSearchOptions, strategy: 'dfs' });
    const report = buildFailureReport(i, { seed: 0, run: 0, scheduler: 'dfs', decisions: r.decisions ?? [] });
    expect(report.violation).toEqual(r.violation);
    const { recipe } = parseRecipe(JSON.stringify(report));
    const replayed = replayDecisions(i, recipe.decisions);
    expect(replayed.violation).toEqual(report.violation);
    expect(JSON.stringify(replayed.trace)).toBe(JSON.stringify(report.trace));
  });

  it('mmcheck exhaust prints the prefix and the cycle, and mmcheck replay reproduces it', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'mmcheck-livelock-'));
    dirs.push(cwd);
    const text = await mmcheck(['exhaust', '--model', 'polite-backoff'], cwd);
    expect(text.code).toBe(1);
    expect(text.out).toContain(
      '  livelock:     a prefix of 0 steps, then a cycle of 6 (steps #1-#6, decisions from index 0) back to the state after the prefix',
    );
    expect(text.out.join('\n')).toContain('VIOLATION livelock after step 6: non-progress cycle');

    const json = await mmcheck(['exhaust', '--model', 'polite-backoff', '--dfs', '--json'], cwd);
    expect(json.code).toBe(1);
    const j = JSON.parse(json.out[0] as string) as Record<string, unknown>;
    expect(j).toMatchObject({ violation: 'livelock', cycle: { prefix: 0, length: 6 }, cycleStart: 0 });
    const back = await mmcheck(['replay', j.failureFile as string], cwd);
    expect(back.code).toBe(1);
    expect(back.out.at(-2)).toMatch(/^VIOLATION livelock after step 6: non-progress cycle/);
    expect(back.out.at(-1)).toBe('reproduced: same violation, same trace');
  });

  it('mmcheck exhaust --livelock selects the cycles reported', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'mmcheck-livelock-'));
    dirs.push(cwd);
    const dekker = ['exhaust', '--model', 'polite-backoff', '--set', 'dekker=true'];
    expect((await mmcheck(dekker, cwd)).code).toBe(0);
    expect((await mmcheck([...dekker, '--livelock', 'any'], cwd)).code).toBe(1);
    expect((await mmcheck(['exhaust', '--model', 'polite-backoff', '--livelock', 'off'], cwd)).code).toBe(0);
    const bad = await mmcheck(['exhaust', '--model', 'polite-backoff', '--livelock', 'weak'], cwd);
    expect(bad.code).toBe(2);
    expect(bad.err).toEqual(["mmcheck: exhaust: --livelock must be fair, any or off (got 'weak')"]);
  });
});

describe('a random run that hits the step budget in a cycle', () => {
  it("is reported as the cycle, naming the thread PCT's priorities starved", () => {
    // PCT runs the highest-priority enabled thread: once T0 has the turn and the priority, it spins
    // in `check` while T1 waits at `lower`.
    const i = polite({ dekker: true });
    const pct = makeScheduler('pct', { seed: 1, pctDepth: 3, stepsEstimate: 20 });
    const c = runCampaign(i, pct, 50, { maxSteps: 200, checkInvariants: true });
    expect(c.violation?.message).toBe('step budget of 200 exhausted');
    const report = buildFailureReport(i, {
      seed: 1,
      run: c.failingRun as number,
      scheduler: 'pct',
      decisions: c.decisions ?? [],
    });
    expect(report.violation.name).toBe('livelock');
    expect(report.violation.step).toBe(200);
    expect(report.violation.message).toMatch(
      /^non-progress cycle: .*\(not weakly fair: T\d enabled throughout/,
    );
    const cycle = report.violation.cycle;
    expect((cycle?.prefix ?? 0) + (cycle?.length ?? 0)).toBe(200);
  });
});
