/**
 * The mmcheck command line: `main(argv, io)` parses the command, runs it and returns the exit code
 * (0 no violation, 1 violation found, 2 usage or input error, 3 harness bug). No command, or flags
 * only, runs `check` (the built-in default job). Everything it prints goes through `io`.
 */
import { check } from './check.js';
import { reportError } from './errors.js';
import { exhaust } from './exhaust.js';
import { explore } from './explore.js';
import { exitCode, type Io } from './io.js';
import { list } from './list.js';
import { replay } from './replay.js';
import { usageLines } from './usage.js';

export type { Io } from './io.js';

type Command = (args: string[], io: Io) => number;

const commands: { readonly [name: string]: Command } = { list, explore, exhaust, replay, check };

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (wantsHelp(argv)) {
      for (const line of usageLines) io.out(line);
      return exitCode.ok;
    }
    if (first === undefined || first.startsWith('-')) return check(argv, io);
    const command = commands[first];
    if (command === undefined || !Object.hasOwn(commands, first)) {
      io.err(`mmcheck: unknown command '${first}' (commands: ${Object.keys(commands).join(', ')}, help)`);
      return exitCode.usage;
    }
    return command(rest, io);
  } catch (e) {
    return reportError(io, e);
  }
}

/** `help`, or `--help`/`-h` anywhere before a `--` terminator. */
function wantsHelp(argv: readonly string[]): boolean {
  if (argv[0] === 'help') return true;
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}
