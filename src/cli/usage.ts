/**
 * Help texts (exit 0): `mmcheck --help` / `mmcheck help` lists the commands; `mmcheck CMD --help` /
 * `mmcheck help CMD` prints that command's arguments and its flags, generated from the same flag table
 * that parses them (flagTable.ts).
 */
import { checkFlags } from './check.js';
import { exhaustFlags } from './exhaust.js';
import { exploreFlags } from './explore.js';
import { type FlagTable, flagHelpLines } from './flagTable.js';
import { listFlags } from './list.js';
import { replayFlags } from './replay.js';

export interface CommandHelp {
  /** Positional arguments in the synopsis, e.g. `FILE|STRING`; '' when none. */
  readonly args: string;
  readonly summary: string;
  readonly flags: FlagTable;
}

export const commandHelp: { readonly [name: string]: CommandHelp } = {
  list: { args: '', summary: 'models with their settings, and the manifest rows', flags: listFlags },
  explore: {
    args: '',
    summary: 'random-testing campaign of one model under one scheduler',
    flags: exploreFlags,
  },
  exhaust: {
    args: '',
    summary: 'exhaustive search of a small configuration (BFS, or DFS with POR)',
    flags: exhaustFlags,
  },
  replay: {
    args: 'FILE|STRING',
    summary: 're-execute a failure file or a `mm1:...` replay string with its trace',
    flags: replayFlags,
  },
  check: {
    args: '[ROW|all]',
    summary: 'run manifest rows (default: the small ones) and compare with their expectation',
    flags: checkFlags,
  },
};

const exitCodes = [
  'exit codes: 0 no violation, 1 violation found (or a check row failed), 2 usage or input error,',
  '            3 harness bug',
];

const failures = 'failures are written to ./mmcheck-failures/<model>-<violation>-<seed>-<run>-<id>.json';

export function usageLines(): string[] {
  const rows: [string, string][] = [['(none)', 'same as `check`: run the small manifest rows']];
  for (const [name, h] of Object.entries(commandHelp)) rows.push([`${name} ${h.args}`.trim(), h.summary]);
  rows.push(['help [COMMAND]', 'this text, or the flags of COMMAND']);
  const width = Math.max(...rows.map(([c]) => c.length));
  return [
    'usage: mmcheck [command] [flags]',
    '',
    'commands:',
    ...rows.map(([c, s]) => `  ${c.padEnd(width)}  ${s}`),
    '',
    '`mmcheck COMMAND --help` lists the flags of COMMAND.',
    ...exitCodes,
    failures,
  ];
}

export function commandUsageLines(name: string, h: CommandHelp): string[] {
  return [
    `usage: mmcheck ${name}${h.args ? ` ${h.args}` : ''} [flags]`,
    h.summary,
    '',
    'flags:',
    ...flagHelpLines(h.flags),
    '',
    ...exitCodes,
  ];
}
