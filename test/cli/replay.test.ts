/**
 * `mmcheck replay`: the round trip fail -> file -> replay -> same violation, same trace; replay
 * strings; tampered files (decisions, trace, violation) are divergences or input errors (exit 2).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeReplay, type FailureReport } from '../../src/engine/recipe.js';
import { expectUsageError, jsonOf, run } from './helpers.js';

/** Runs a failing explore in a fresh directory; returns that directory, the file and its report. */
async function failure(): Promise<{ cwd: string; file: string; report: FailureReport }> {
  const r = await run(['explore', '--model', 'lost-update', '--set', 'threads=3', '--json']);
  expect(r.code).toBe(1);
  const file = jsonOf(r).failureFile as string;
  return { cwd: r.cwd, file, report: JSON.parse(readFileSync(file, 'utf8')) as FailureReport };
}

function tamper(file: string, report: FailureReport, change: Partial<FailureReport>): void {
  writeFileSync(file, JSON.stringify({ ...report, ...change }));
}

describe('mmcheck replay', () => {
  it('replays the written file: same violation, same trace (exit 1)', async () => {
    const { cwd, file, report } = await failure();
    const r = await run(['replay', join('mmcheck-failures', basename(file))], cwd);
    expect(r.code).toBe(1);
    expect(r.err).toEqual([]);
    expect(r.out).toContain(
      `VIOLATION invariant 'noLostUpdate' violated after step ${report.violation.step}: ${report.violation.message}`,
    );
    expect(r.out.at(-1)).toBe('reproduced: same violation, same trace');
    expect(r.out.filter((l) => /^ {2}#\d+ /.test(l))).toHaveLength(report.trace.length);
  });

  it('replays the replay string (exit 1) with the same trace as the file', async () => {
    const { report } = await failure();
    const r = await run(['replay', report.replay]);
    expect(r.code).toBe(1);
    expect(r.out.at(-1)).toBe('reproduced: noLostUpdate');
    const j = jsonOf(await run(['replay', report.replay, '--json']));
    expect(j).toMatchObject({ verdict: 'violation', violation: 'noLostUpdate', reproduced: null });
    expect(JSON.stringify(j.trace)).toBe(JSON.stringify(report.trace));
  });

  it('a replay string whose run has no violation exits 0', async () => {
    const serial = encodeReplay({
      model: 'lost-update',
      seed: 1,
      config: { threads: 2, increments: 1 },
      decisions: [0, 0, 2, 2],
    });
    const r = await run(['replay', serial]);
    expect(r.code).toBe(0);
    expect(r.out.at(-1)).toBe('no violation');
  });

  it('a replay string cut before the run ends: "replay ended at step k", not a livelock (exit 2)', async () => {
    const { report } = await failure();
    const picks = report.decisions.filter((d) => d % 2 === 0).length;
    const cut = encodeReplay({ ...report, decisions: report.decisions.slice(0, -1) });
    expectUsageError(
      await run(['replay', cut]),
      new RegExp(`^mmcheck: replay ended at step ${picks - 1} before the run did$`),
    );
    expectUsageError(
      await run(['replay', encodeReplay({ ...report, decisions: [] })]),
      /^mmcheck: replay ended at step 0 before the run did$/,
    );
  });

  it('a livelock finding: its replay string ends in .budget and reproduces it (exit 1)', async () => {
    const r = await run(['explore', '--model', 'lost-update', '--max-steps', '3', '--json']);
    const j = jsonOf(r);
    expect(j).toMatchObject({ violation: 'livelock', message: 'step budget of 3 exhausted' });
    expect(j.replay).toMatch(/^mm1:lost-update:1:[^:]+:\d+\.\d+\.\d+\.budget$/);
    const fromString = await run(['replay', j.replay as string]);
    expect(fromString.code).toBe(1);
    expect(fromString.out.at(-1)).toBe('reproduced: livelock');
    const fromFile = await run(['replay', j.failureFile as string]);
    expect(fromFile.code).toBe(1);
    expect(fromFile.out.at(-1)).toBe('reproduced: same violation, same trace');
    expectUsageError(
      await run(['replay', (j.replay as string).replace(/\.budget$/, '')]),
      /^mmcheck: replay ended at step 3 before the run did$/,
    );
  });

  it('a failure file whose budget mark disagrees with its replay string is malformed (exit 2)', async () => {
    const { file, report } = await failure();
    tamper(file, report, { endsAtBudget: true });
    expectUsageError(await run(['replay', file]), /'endsAtBudget' does not match the 'replay' string/);
  });

  it('tampered decisions picking a thread that is not enabled: replay diverged (exit 2)', async () => {
    const { file, report } = await failure();
    const decisions = [...report.decisions];
    const last = decisions.length - 1;
    decisions[last] = 2 * 7; // thread 7 does not exist
    tamper(file, report, { decisions, replay: encodeReplay({ ...report, decisions }) });
    expectUsageError(
      await run(['replay', file]),
      /^mmcheck: replay diverged at step \d+: thread 7 is not enabled/,
    );
  });

  it('tampered decisions that no longer match the replay string: malformed file (exit 2)', async () => {
    const { file, report } = await failure();
    tamper(file, report, { decisions: [...report.decisions, 0] });
    expectUsageError(await run(['replay', file]), /'decisions' does not match the 'replay' string/);
  });

  it('a tampered trace entry: replay diverged at that step (exit 2)', async () => {
    const { file, report } = await failure();
    const trace = report.trace.map((e, i) => (i === 1 ? { ...e, label: 'increment.elsewhere' } : e));
    tamper(file, report, { trace });
    expectUsageError(await run(['replay', file]), /^mmcheck: replay diverged: trace differs at step 2$/);
  });

  it('a truncated trace: replay diverged after the last recorded step (exit 2)', async () => {
    const { file, report } = await failure();
    tamper(file, report, { trace: report.trace.slice(0, -1) });
    expectUsageError(
      await run(['replay', file]),
      new RegExp(`trace differs at step ${report.trace.length}$`),
    );
  });

  it('a tampered violation: replay diverged (exit 2)', async () => {
    const { file, report } = await failure();
    tamper(file, report, { violation: { ...report.violation, message: 'x = 0, expected 3' } });
    expectUsageError(
      await run(['replay', file]),
      /^mmcheck: replay diverged: recorded invariant 'noLostUpdate'/,
    );
  });
});
