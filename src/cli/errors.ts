/**
 * Turns an exception escaping a command into an exit code and stderr lines. Bad input (UsageError and
 * subclasses such as ReplayDivergence, errors named ConfigError, node parseArgs errors) is exit 2 with
 * exactly one line `mmcheck: <message>` (at most maxMessageLength characters of message) and no stack.
 * Anything else is a harness bug (HarnessError or an unexpected exception): exit 3 with the message
 * and the stack, never mistaken for a model finding.
 */
import { UsageError } from '../engine/errors.js';
import { exitCode, type Io } from './io.js';

export function isUsageError(e: unknown): e is Error {
  if (e instanceof UsageError) return true;
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  return e.name === 'ConfigError' || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_'));
}

/** Reports `e` on stderr; returns the exit code. */
export function reportError(io: Io, e: unknown): number {
  if (isUsageError(e)) {
    io.err(`mmcheck: ${oneLine(e.message)}`);
    return exitCode.usage;
  }
  const message = e instanceof Error ? e.message : String(e);
  io.err(`mmcheck: internal error (harness bug, not a model finding): ${oneLine(message)}`);
  const stack = e instanceof Error && e.stack ? e.stack.split('\n').slice(1) : [];
  for (const line of stack) io.err(line);
  return exitCode.harnessBug;
}

/** Longest message printed (a message may quote user input, e.g. an unknown option). */
export const maxMessageLength = 1000;

function oneLine(text: string): string {
  const line = text.replace(/\s*\n\s*/g, ' ').trim();
  return line.length > maxMessageLength ? `${line.slice(0, maxMessageLength - 3)}...` : line;
}
