/** `mmcheck check` and the default job (no command). */
import { describe, expect, it } from 'vitest';
import { manifest } from '../../src/models/manifest.js';
import { jsonOf, run } from './helpers.js';

const small = manifest.filter((r) => r.small);

describe('mmcheck check', () => {
  it('every small row meets its expectation (exit 0)', async () => {
    const r = await run(['check']);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(small.length + 1);
    for (const row of small) expect(r.out.find((l) => l.startsWith(`${row.name} `))).toMatch(/ OK/);
    expect(r.out.at(-1)).toMatch(new RegExp(`^${small.length}/${small.length} rows meet their expectation`));
  });

  it('no command runs check', async () => {
    const r = await run([]);
    expect(r.code).toBe(0);
    expect(r.out.at(-1)).toMatch(/rows meet their expectation/);
  });

  it('one row, --json', async () => {
    const r = await run(['check', 'lost-update-2', '--json']);
    expect(r.code).toBe(0);
    const j = jsonOf(r);
    expect(j.ok).toBe(true);
    expect(j.rows).toEqual([
      expect.objectContaining({
        name: 'lost-update-2',
        expected: 'violation:noLostUpdate',
        got: 'violation:noLostUpdate',
        ok: true,
      }),
    ]);
  });

  it('flags only run the default job: `mmcheck --json`', async () => {
    const j = jsonOf(await run(['--json']));
    expect((j.rows as unknown[]).length).toBe(small.length);
  });
});
