/**
 * A command's flags as data: node:util parseArgs options, each with the name of its value and a
 * one-line doc. The same table parses the command's arguments (`parseFlags`) and prints its help
 * (`flagHelpLines`, `mmcheck CMD --help`), so a flag added to a table is documented by construction.
 * Defaults live in the table too (integers as their decimal text, parsed by intFlag).
 */
import { parseArgs } from 'node:util';

export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly default?: string | boolean;
  /** Name of the value in the help, e.g. `N` for `--runs N`. */
  readonly arg?: string;
  readonly doc: string;
}

export type FlagTable = { readonly [name: string]: FlagSpec };

/**
 * parseArgs, strict, over `flags`. A value that starts with a dash is taken as the value of the
 * string flag before it when it is a number (`--seed -5`), as parseArgs itself only takes `--seed=-5`.
 */
export function parseFlags<const T extends FlagTable>(
  args: readonly string[],
  flags: T,
  allowPositionals = false,
) {
  return parseArgs({
    args: attachNegativeValues(args, flags),
    options: flags,
    strict: true,
    allowPositionals,
  });
}

function attachNegativeValues(args: readonly string[], flags: FlagTable): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--') {
      out.push(...args.slice(i));
      break;
    }
    const next = args[i + 1];
    const name = a.startsWith('--') ? a.slice(2) : '';
    const flag = Object.hasOwn(flags, name) ? flags[name] : undefined;
    if (flag?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else {
      out.push(a);
    }
  }
  return out;
}

/** One line per flag: `  --name ARG   doc (default D)`, aligned; `--help` last. */
export function flagHelpLines(flags: FlagTable): string[] {
  const rows: [string, string][] = Object.entries(flags).map(([name, f]) => {
    const head = `--${name}${f.type === 'string' ? ` ${f.arg ?? 'VALUE'}` : ''}${f.multiple ? ' ...' : ''}`;
    const shown = f.type === 'string' && f.default !== undefined ? ` (default ${f.default})` : '';
    return [head, `${f.doc}${shown}`];
  });
  rows.push(['--help, -h', 'this text']);
  const width = Math.max(...rows.map(([h]) => h.length));
  return rows.map(([h, d]) => `  ${h.padEnd(width)}  ${d}`);
}
