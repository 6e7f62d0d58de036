/**
 * The CLI's only window on the world: output lines, the working directory and a clock. Commands never
 * touch `process` or `console`; the entry point (bin.ts) binds the real ones, tests bind capturing ones.
 * The CLI is the only layer allowed to read a clock, and reads it only through `now`.
 */
export interface Io {
  /** Writes one line (no trailing newline) to standard output. */
  out(line: string): void;
  /** Writes one line (no trailing newline) to standard error. */
  err(line: string): void;
  /** Directory that relative paths and `mmcheck-failures/` are resolved against. */
  readonly cwd: string;
  /** Milliseconds from an arbitrary origin (performance.now). */
  now(): number;
}

/** Exit codes of every command. */
export const exitCode = { ok: 0, violation: 1, usage: 2, harnessBug: 3 } as const;
