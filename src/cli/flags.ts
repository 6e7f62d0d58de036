/**
 * Flag values shared by the commands: integers with a range, `--set key=value` lists and the JSON
 * switch. Every problem is a one-line UsageError naming the flag (exit code 2).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { parseSetting } from '../engine/config.js';
import { UsageError } from '../engine/errors.js';

/** Integer flag in [min, max]; `fallback` when absent. Accepts only a plain decimal integer. */
export function intFlag(
  flag: string,
  text: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (text === undefined) return fallback;
  const n = /^-?\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`--${flag} expects an integer, got '${text}'`);
  if (n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`;
    throw new UsageError(`--${flag} must be ${range}, got ${n}`);
  }
  return n;
}

/** Seeds are 32-bit signed integers (the PRNG truncates with `| 0`; replay strings keep 10 digits). */
export const seedRange = { min: -2147483648, max: 2147483647 } as const;

/** `--set key=value ...` as a record; a key given twice is an error (no silent override). */
export function settingsFlag(sets: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
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
    const file = resolvePath(cwd, values.scenario);
    if (!existsSync(file)) throw new UsageError(`${command}: no scenario file '${values.scenario}'`);
    settings.scenario = readFileSync(file, 'utf8');
  }
  const modelName = values.model ?? (values.scenario !== undefined ? 'almos' : undefined);
  return { modelName: requiredFlag(command, 'model', modelName), settings };
}

/** The flags naming what to check, shared by explore and exhaust (read by `modelAndSettings`). */
export const targetOptions = {
  model: { type: 'string' },
  scenario: { type: 'string' },
  set: { type: 'string', multiple: true },
} as const;
