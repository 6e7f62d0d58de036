/**
 * The mmcheck command line: `main(argv, io)` parses the command, runs it and returns the exit code
 * (0 no violation, 1 violation found, 2 usage or input error, 3 harness bug). No command, or flags
 * only, runs `check` (the built-in default job). `--help` anywhere (or `help [COMMAND]`) prints the
 * usage text or the command's help instead. Everything it prints goes through `io`.
 */
import { clip } from '../engine/config.js';
import { UsageError } from '../engine/errors.js';
import { check } from './check.js';
import { reportError } from './errors.js';
import { exhaust } from './exhaust.js';
import { explore } from './explore.js';
import { exitCode, type Io } from './io.js';
import { list } from './list.js';
import { replay } from './replay.js';
import { type CommandHelp, commandHelp, commandUsageLines, usageLines } from './usage.js';

export type { Io } from './io.js';

type Command = (args: string[], io: Io) => number;

const commands: { readonly [name: string]: Command } = { list, explore, exhaust, replay, check };

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === 'help') return help(argv[1], io);
    if (wantsHelp(argv)) return help(first === undefined || first.startsWith('-') ? undefined : first, io);
    if (first === undefined || first.startsWith('-')) return check(argv, io);
    return commandNamed(first)(rest, io);
  } catch (e) {
    return reportError(io, e);
  }
}

function commandNamed(name: string): Command {
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (command === undefined) {
    throw new UsageError(
      `unknown command '${clip(name)}' (commands: ${Object.keys(commands).join(', ')}, help)`,
    );
  }
  return command;
}

/** The usage text, or the help of command `name`. */
function help(name: string | undefined, io: Io): number {
  if (name === undefined) {
    for (const line of usageLines()) io.out(line);
    return exitCode.ok;
  }
  commandNamed(name);
  for (const line of commandUsageLines(name, commandHelp[name] as CommandHelp)) io.out(line);
  return exitCode.ok;
}

/** `--help`/`-h` anywhere before a `--` terminator. */
function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}
