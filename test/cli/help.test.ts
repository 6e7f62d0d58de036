/**
 * Help: `mmcheck --help` lists the commands; `mmcheck CMD --help` and `mmcheck help CMD` print that
 * command's flags, every flag of the table that parses them (so `--scenario`, `--max-depth`...), with
 * the defaults the command really uses.
 */
import { describe, expect, it } from 'vitest';
import { commandHelp } from '../../src/cli/usage.js';
import { defaultSearchOptions } from '../../src/engine/search/index.js';
import { expectUsageError, run } from './helpers.js';

const commands = Object.keys(commandHelp);

describe('mmcheck CMD --help', () => {
  it.each(commands)('%s --help lists every flag of %s and nothing of the others', async (name) => {
    const r = await run([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.err).toEqual([]);
    expect(r.out[0]).toMatch(new RegExp(`^usage: mmcheck ${name}( |$)`));
    const flagsShown = r.out
      .filter((l) => /^ {2}--/.test(l))
      .map((l) => (/^ {2}--([a-z-]+)/.exec(l) as string[])[1]);
    expect(flagsShown).toEqual([...Object.keys(commandHelp[name]?.flags ?? {}), 'help']);
    const again = await run(['help', name]);
    expect(again.out).toEqual(r.out);
  });

  it('explore and exhaust document --scenario; exhaust --max-depth with its real default', async () => {
    const explore = (await run(['explore', '--help'])).out.join('\n');
    const exhaust = (await run(['exhaust', '--model', 'nope', '--help'])).out.join('\n');
    for (const text of [explore, exhaust])
      expect(text).toMatch(/^ {2}--scenario FILE +almos scenario JSON file/m);
    expect(exhaust).toMatch(
      new RegExp(`^ {2}--max-depth N +.*\\(default ${defaultSearchOptions.maxDepth}\\)$`, 'm'),
    );
    expect(explore).toMatch(/^ {2}--runs N +.*\(default 1000\)$/m);
    expect(explore).toMatch(/^ {2}--set KEY=VALUE \.\.\. +a model setting/m);
    expect(explore).not.toContain('--max-depth');
  });

  it('the global help lists every command and points at CMD --help', async () => {
    for (const argv of [['--help'], ['help'], ['-h'], ['--json', '--help']]) {
      const r = await run(argv);
      expect(r.code).toBe(0);
      expect(r.out[0]).toBe('usage: mmcheck [command] [flags]');
      for (const name of commands)
        expect(r.out.some((l) => l.startsWith(`  ${name} `) || l === `  ${name}`)).toBe(true);
      expect(r.out).toContain('`mmcheck COMMAND --help` lists the flags of COMMAND.');
    }
  });

  it('help of an unknown command is a usage error', async () => {
    expectUsageError(await run(['help', 'frob']), /^mmcheck: unknown command 'frob'/);
    expectUsageError(await run(['frob', '--help']), /^mmcheck: unknown command 'frob'/);
  });

  it('--help after -- is an argument, not a request for help', async () => {
    expectUsageError(await run(['explore', '--', '--help']), /Unexpected argument '--help'/);
  });
});
