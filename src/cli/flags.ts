/**
 * Flag values shared by the commands: integers with a range, `--set key=value` lists, and the target
 * flags (`--model`, `--scenario`, `--set`). Every problem is a one-line UsageError naming the flag
 * (exit code 2).
 */
import { clip, parsePlainInt, parseSetting } from '../engine/config.js';
import { UsageError } from '../engine/errors.js';
import type { FlagTable } from './flagTable.js';
import { readInputFile } from './inputFile.js';

/**
 * Integer flag in [min, max] (its default comes from the command's flag table). Accepts only a plain
 * decimal integer (no sign but a leading minus, no spaces, leading zeros, exponent or hexadecimal).
 */
export function intFlag(flag: string, text: string, min: number, max: number): number {
  const n = parsePlainInt(text);
  if (n === null) throw new UsageError(`--${flag} expects an integer, got '${clip(text)}'`);
  if (n < min || n > max) {
    const open = max === Number.MAX_SAFE_INTEGER;
    const range = !open ? `between ${min} and ${max}` : n < min ? `at least ${min}` : `at most ${max}`;
    throw new UsageError(`--${flag} must be ${range}, got ${clip(text)}`);
  }
  return n;
}

/** Seeds are 32-bit signed integers (the PRNG truncates with `| 0`; replay strings keep 10 digits). */
export const seedRange = { min: -2147483648, max: 2147483647 } as const;

/** `--set key=value ...` as a record; a key given twice is an error (no silent override). */
export function settingsFlag(sets: readonly string[] | undefined): Record<string, string> {
  // No prototype: every key, `__proto__` included, is an own entry (and is then rejected as unknown).
  const out: Record<string, string> = Object.create(null);
  for (const text of sets ?? []) {
    const [key, value] = parseSetting(text);
    if (Object.hasOwn(out, key)) throw new UsageError(`--set ${key} given twice`);
    out[key] = value;
  }
  return out;
}

/** A required string flag. */
export function requiredFlag(command: string, flag: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new UsageError(`${command}: --${flag} is required`);
  return value;
}

/**
 * The model and settings of a command: `--scenario FILE` reads a scenario file (relative to `cwd`)
 * into the `scenario` setting and makes `almos` the default model.
 */
export function modelAndSettings(
  command: string,
  values: { model?: string; set?: string[]; scenario?: string },
  cwd: string,
): { modelName: string; settings: Record<string, string> } {
  const settings = settingsFlag(values.set);
  if (values.scenario !== undefined) {
    if (Object.hasOwn(settings, 'scenario'))
      throw new UsageError(`${command}: --scenario and --set scenario=... are exclusive`);
    const text = readInputFile(`${command}: scenario file`, values.scenario, cwd);
    if (!text.trimStart().startsWith('{'))
      throw new UsageError(`${command}: scenario file '${values.scenario}' does not hold a JSON object`);
    settings.scenario = text;
  }
  const modelName = values.model ?? (values.scenario !== undefined ? 'almos' : undefined);
  return { modelName: requiredFlag(command, 'model', modelName), settings };
}

/** The flags naming what to check, shared by explore and exhaust (read by `modelAndSettings`). */
export const targetOptions = {
  model: { type: 'string', arg: 'NAME', doc: 'model to check (`mmcheck list` shows models and settings)' },
  scenario: {
    type: 'string',
    arg: 'FILE',
    doc: 'almos scenario JSON file (the model is then almos unless --model says otherwise)',
  },
  set: { type: 'string', multiple: true, arg: 'KEY=VALUE', doc: 'a model setting (repeatable)' },
} as const satisfies FlagTable;
