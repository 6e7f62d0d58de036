/** `mmcheck list`, `help` and the default command. */
import { describe, expect, it } from 'vitest';
import { models } from '../../src/models/index.js';
import { manifest } from '../../src/models/manifest.js';
import { jsonOf, run } from './helpers.js';

describe('mmcheck list', () => {
  it('lists every model with its parameters and every manifest row', async () => {
    const r = await run(['list']);
    expect(r.code).toBe(0);
    expect(r.err).toEqual([]);
    const text = r.out.join('\n');
    for (const m of models) {
      expect(text).toContain(`${m.name}: ${m.summary}`);
      for (const key of Object.keys(m.params))
        expect(text).toMatch(new RegExp(`^ {4}${key} .*default `, 'm'));
    }
    for (const row of manifest) {
      const line = r.out.find((l) => l.startsWith(`  ${row.name} `)) ?? '';
      expect(line, row.name).toMatch(new RegExp(`^ {2}${row.name} +${row.model} `));
      expect(line, row.name).toContain(row.expected);
      if (row.shortest !== undefined) expect(line, row.name).toContain(` in ${row.shortest} steps`);
      if (row.invariants !== undefined)
        expect(line, row.name).toContain(`[only ${row.invariants.join(', ')};`);
    }
    expect(text).toContain('threads     int 1..6, default 2  number of incrementing threads');
  });

  it('--json prints one object with models and manifest', async () => {
    const j = jsonOf(await run(['list', '--json']));
    expect((j.models as unknown[]).length).toBe(models.length);
    expect((j.manifest as unknown[]).length).toBe(manifest.length);
  });
});

describe('mmcheck help', () => {
  it.each([['--help'], ['help'], ['-h'], ['explore', '--help']])(
    '%s prints the usage, exit 0',
    async (...argv) => {
      const r = await run(argv);
      expect(r.code).toBe(0);
      expect(r.out[0]).toMatch(/^usage: mmcheck/);
      expect(r.err).toEqual([]);
    },
  );
});
