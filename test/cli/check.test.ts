/**
 * `mmcheck check` and the default job (no command): the table, JSON and exit codes on single small
 * rows and on made-up tables (a cut search reads `incomplete`, a bounded row says so, a subset row
 * carries its label, a failing row exits 1), and that the default job runs `check` on every small
 * row, with the runner spied on rather than run: the whole manifest runs in
 * test/models/manifest.test.ts only.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { check } from '../../src/cli/check.js';
import type { Io } from '../../src/cli/io.js';
import { manifest } from '../../src/models/manifest.js';
import type { ManifestRow } from '../../src/models/manifestRow.js';
import { type RowOutcome, runRow } from '../../src/models/manifestRun.js';
import { expectUsageError, jsonOf, run, tempDir } from './helpers.js';

vi.mock('../../src/models/manifestRun.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/models/manifestRun.js')>();
  return { ...actual, runRow: vi.fn(actual.runRow) };
});
const actual = await vi.importActual<typeof import('../../src/models/manifestRun.js')>(
  '../../src/models/manifestRun.js',
);
afterEach(() => {
  vi.mocked(runRow).mockImplementation(actual.runRow);
  vi.mocked(runRow).mockClear();
});

const small = manifest.filter((r) => r.small);

/** `check(args)` over `table`, with a capturing Io (fake clock, 1 ms per reading). */
function checkTable(args: string[], table: readonly ManifestRow[]) {
  const out: string[] = [];
  let clock = 0;
  const io: Io = { out: (l) => out.push(l), err: () => {}, cwd: tempDir(), now: () => clock++ };
  return { code: check(args, io, table), out };
}

describe('mmcheck check ROW', () => {
  it('a violation row: one line, OK, exit 0', async () => {
    const r = await run(['check', 'lost-update-2']);
    expect([r.code, r.err]).toEqual([0, []]);
    expect(r.out).toHaveLength(2);
    expect(r.out[0]).toMatch(
      /^lost-update-2 +expected violation:noLostUpdate in 4 steps +got violation:noLostUpdate in 4 steps +OK$/,
    );
    expect(r.out[1]).toMatch(/^1\/1 rows meet their expectation \(\d+ ms\)$/);
  });

  it('--json --audit-footprints: the outcome, audited', async () => {
    const r = await run(['check', 'mutex-counter-2', '--json', '--audit-footprints']);
    expect(r.code).toBe(0);
    const j = jsonOf(r);
    expect(j).toMatchObject({ command: 'check', ok: true, auditFootprints: true });
    expect(j.rows).toEqual([
      expect.objectContaining({
        name: 'mutex-counter-2',
        expected: 'pass',
        got: 'pass',
        ok: true,
        verdict: 'complete',
        audited: true,
        invariants: null,
        subset: null,
      }),
    ]);
  });

  it('an unknown row or two rows: usage error', async () => {
    expectUsageError(await run(['check', 'nope']), /unknown row 'nope'/);
    expectUsageError(await run(['check', 'lost-update-2', 'lost-update-3']), /at most one ROW/);
  });
});

describe('the table on made-up rows', () => {
  const mutex: ManifestRow = {
    name: 'mutex',
    model: 'mutex-counter',
    config: { threads: 3, increments: 1, work: 2 },
    expected: 'pass',
    runs: 0,
    small: true,
    note: '',
  };
  const table: ManifestRow[] = [
    { ...mutex, name: 'cut', maxStates: 50 },
    { ...mutex, name: 'bounded', maxStates: 50, bounded: 'the first 50 states suffice here' },
    {
      ...mutex,
      name: 'subset',
      model: 'lost-update',
      config: { threads: 2, increments: 1 },
      invariants: ['noLostUpdate'],
      allInvariants: 'violation:noLostUpdate',
      expected: 'violation:noLostUpdate',
      shortest: 4,
    },
    { ...mutex, name: 'big', small: false },
  ];

  it('a cut search is incomplete and fails; bounded says so; a subset row ends with its label', () => {
    const r = checkTable([], table);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([
      'cut      expected pass                               got incomplete (state budget 50 reached)  FAIL',
      'bounded  expected pass (bounded: 50 states)          got incomplete (state budget 50 reached)  OK',
      'subset   expected violation:noLostUpdate in 4 steps  got violation:noLostUpdate in 4 steps     OK    [only noLostUpdate; all invariants: violation:noLostUpdate]',
      expect.stringMatching(/^2\/3 rows meet their expectation \(\d+ ms\)$/),
    ]);
  });

  it('`all` adds the rows not marked small; one row met: exit 0', () => {
    expect(checkTable(['all'], table).out.at(-1)).toMatch(/^3\/4 rows/);
    expect(checkTable(['bounded'], table).code).toBe(0);
  });
});

describe('the default job (no command) is `check` of the small rows', () => {
  const met = (row: ManifestRow): RowOutcome => ({
    name: row.name,
    model: row.model,
    expected: row.expected,
    got: row.expected,
    ok: true,
    verdict: 'complete',
    incompleteReason: null,
    invariants: null,
    subset: null,
    campaign: null,
    search: row.expected,
    runs: 0,
    steps: 0,
    states: 1,
    shortest: null,
    audited: false,
    ms: 0,
  });

  it('runs every small row once, in manifest order, and prints the table (runner spied on)', async () => {
    vi.mocked(runRow).mockImplementation(met);
    const r = await run([]);
    expect(r.code).toBe(0);
    expect(vi.mocked(runRow).mock.calls.map(([row]) => row.name)).toEqual(small.map((row) => row.name));
    expect(r.out).toHaveLength(small.length + 1);
    expect(r.out.at(-1)).toMatch(new RegExp(`^${small.length}/${small.length} rows meet their expectation`));
  });

  it('flags only run the default job: `mmcheck --json`; a failing row exits 1', async () => {
    vi.mocked(runRow).mockImplementation(met);
    const j = jsonOf(await run(['--json']));
    expect((j.rows as unknown[]).length).toBe(small.length);
    vi.mocked(runRow).mockImplementation((row) => ({ ...met(row), ok: row.name !== small[0]?.name }));
    const r = await run([]);
    expect(r.code).toBe(1);
    expect(r.out[0]).toMatch(/ FAIL$/);
  });
});
