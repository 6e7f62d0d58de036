/**
 * Reads a file named on the command line (a `--scenario` file, a failure file to replay). Every way
 * it can fail — missing, a directory or another non-regular file, a symbolic-link loop, no permission,
 * an unusable path, too large, empty — is a one-line UsageError naming the file, never an exception
 * with a stack (exit 2, not 3).
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../engine/errors.js';

/** Larger inputs are rejected before reading (a scenario or failure file is kilobytes). */
export const maxInputBytes = 16 * 1024 * 1024;

/** `what` names the file in messages, e.g. `explore: scenario file`; `missing` is appended on ENOENT. */
export function readInputFile(what: string, arg: string, cwd: string, missing = ''): string {
  const named = `${what} '${arg}'`;
  let text: string;
  try {
    const path = resolve(cwd, arg);
    const stat = statSync(path);
    if (stat.isDirectory()) throw new UsageError(`${named} is a directory`);
    if (!stat.isFile()) throw new UsageError(`${named} is not a regular file`);
    if (stat.size > maxInputBytes) throw new UsageError(`${named} is larger than ${maxInputBytes} bytes`);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as { code?: unknown }).code;
    throw new UsageError(
      `${named} ${fsProblem(typeof code === 'string' ? code : '')}${code === 'ENOENT' ? missing : ''}`,
    );
  }
  if (text.trim() === '') throw new UsageError(`${named} is empty`);
  return text;
}

function fsProblem(code: string): string {
  switch (code) {
    case 'ENOENT':
      return 'does not exist';
    case 'ENOTDIR':
      return 'does not exist (a component of its path is not a directory)';
    case 'ELOOP':
      return 'cannot be read: symbolic link loop';
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read: permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENAMETOOLONG':
      return 'cannot be read: name too long';
    case 'ERR_INVALID_ARG_VALUE':
    case 'ERR_INVALID_ARG_TYPE':
      return 'is not a usable path';
    default:
      return `cannot be read${code === '' ? '' : ` (${code})`}`;
  }
}
