/**
 * `mmcheck explore` ends with the coverage of its runs: in text, a summary after the verdict (or the
 * violation report); with --json, the full table in the one JSON object.
 */
import { describe, expect, it } from 'vitest';
import { jsonOf, run } from './helpers.js';

describe('explore coverage', () => {
  it('a pass prints the summary after the verdict line', async () => {
    const r = await run(['explore', '--model', 'lost-update', '--set', 'threads=1', '--runs', '10']);
    expect(r.code).toBe(0);
    expect(r.out).toEqual([
      expect.stringMatching(/no violation in 10 runs/),
      'coverage (10 runs): 1 of 1 procedures entered, 2 of 2 steps run',
      '  most run:',
      '    increment.load 10, increment.store 10',
    ]);
  });

  it('a violation prints it after the report, counting the failing run', async () => {
    const r = await run(['explore', '--model', 'lost-update']);
    expect(r.code).toBe(1);
    const i = r.out.findIndex((l) => l.startsWith('found in run 1 of 1000'));
    expect(r.out.slice(i + 1)).toEqual([
      'coverage (1 run): 1 of 1 procedures entered, 2 of 2 steps run',
      '  most run:',
      '    increment.load 2, increment.store 2',
    ]);
  });

  it('lists what the runs never reached (the almos model under G1 never runs the G2 handlers)', async () => {
    const r = await run(['explore', '--model', 'almos', '--set', 'scenario=shared-fault', '--runs', '5']);
    expect(r.code).toBe(0);
    const text = r.out.join('\n');
    expect(text).toMatch(/^coverage \(5 runs\): \d+ of \d+ procedures entered, \d+ of \d+ steps run$/m);
    expect(text).toMatch(/^ {2}never entered \(\d+\):$/m);
    expect(text).toMatch(/handlePageFaultG2/);
    expect(text).toMatch(/^ {2}never run, in entered procedures \(\d+\):$/m);
    for (const line of r.out.slice(1)) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('--json carries the full table', async () => {
    const j = jsonOf(await run(['explore', '--model', 'lost-update', '--set', 'threads=2', '--json']));
    expect(j.verdict).toBe('violation');
    expect(j.coverage).toMatchObject({
      runs: j.runs,
      procedures: { ran: 1, total: 1 },
      steps: { ran: 2, total: 2 },
      neverEntered: [],
      neverRun: [],
      byStep: [
        { step: 'increment.load', count: expect.any(Number) },
        { step: 'increment.store', count: expect.any(Number) },
      ],
    });
  });
});
