/**
 * Step and procedure coverage of untraced runs: how many times each step (`proc.label`) was executed
 * and each procedure entered (a call pushed its frame, or a thread started in it), over any number of
 * executions. The executor feeds a `Coverage` when `ExecOptions.coverage` is set (a few map lookups
 * per step, no trace, no state copy); `coverageTable` then lists every procedure and step of the
 * model, reached or not, in the model's own order (procedures as the model lists them, steps as each
 * procedure declares them), so the same runs give the same table, byte for byte.
 */
import type { Procedure, SystemState, Thread, ThreadId } from './types.js';

export class Coverage {
  /** Executions begun. */
  runs = 0;
  /** Step executions: procedure name -> label -> count (boxed: one lookup per step). */
  private readonly steps = new Map<string, Map<string, { n: number }>>();
  /** Procedure entries: procedure name -> count. */
  private readonly entries = new Map<string, number>();
  private stackDepth = 0;
  private threadCount = 0;

  /** A run starts: every frame of the initial threads is an entry. */
  begin(state: SystemState<unknown>): void {
    this.runs++;
    for (const t of state.threads) for (const f of t.stack) this.enter(f.proc);
  }

  /** Thread `tid` is about to take its next step. Precondition: it is not done. */
  before(state: SystemState<unknown>, tid: ThreadId): void {
    const thread = state.threads[tid] as Thread;
    const frame = thread.stack[thread.stack.length - 1] as Thread['stack'][number];
    let labels = this.steps.get(frame.proc);
    if (labels === undefined) {
      labels = new Map();
      this.steps.set(frame.proc, labels);
    }
    const count = labels.get(frame.pc);
    if (count === undefined) labels.set(frame.pc, { n: 1 });
    else count.n++;
    this.stackDepth = thread.stack.length;
    this.threadCount = state.threads.length;
  }

  /** The step of `tid` returned: a deeper stack entered its top frame; a spawned thread its first. */
  after(state: SystemState<unknown>, tid: ThreadId): void {
    const stack = (state.threads[tid] as Thread).stack;
    if (stack.length > this.stackDepth) this.enter((stack[stack.length - 1] as Thread['stack'][number]).proc);
    for (let i = this.threadCount; i < state.threads.length; i++)
      for (const f of (state.threads[i] as Thread).stack) this.enter(f.proc);
  }

  stepCount(proc: string, label: string): number {
    return this.steps.get(proc)?.get(label)?.n ?? 0;
  }

  entryCount(proc: string): number {
    return this.entries.get(proc) ?? 0;
  }

  private enter(proc: string): void {
    this.entries.set(proc, (this.entries.get(proc) ?? 0) + 1);
  }
}

export interface ProcedureCoverage {
  readonly name: string;
  readonly entered: number;
  /** Steps of this procedure executed (sum of its step counts). */
  readonly steps: number;
  readonly stepsRan: number;
  readonly stepsTotal: number;
}

export interface CoverageTable {
  readonly runs: number;
  readonly procedures: { readonly ran: number; readonly total: number };
  readonly steps: { readonly ran: number; readonly total: number };
  /** Every procedure of the model, in the model's order. */
  readonly byProcedure: readonly ProcedureCoverage[];
  /** Every step of the model as `proc.label`, with its execution count. */
  readonly byStep: ReadonlyArray<{ readonly step: string; readonly count: number }>;
  /** Procedures never entered. */
  readonly neverEntered: readonly string[];
  /** Steps never executed, in procedures that were entered (those of the others are implied). */
  readonly neverRun: readonly string[];
}

export function coverageTable<S>(
  cov: Coverage,
  procedures: { readonly [name: string]: Procedure<S> },
): CoverageTable {
  const byProcedure: ProcedureCoverage[] = [];
  const byStep: Array<{ step: string; count: number }> = [];
  const neverEntered: string[] = [];
  const neverRun: string[] = [];
  let stepsRan = 0;
  for (const [name, proc] of Object.entries(procedures)) {
    const entered = cov.entryCount(name);
    if (entered === 0) neverEntered.push(name);
    let steps = 0;
    let ran = 0;
    const labels = Object.keys(proc.steps);
    for (const label of labels) {
      const count = cov.stepCount(name, label);
      byStep.push({ step: `${name}.${label}`, count });
      steps += count;
      if (count > 0) ran++;
      else if (entered > 0) neverRun.push(`${name}.${label}`);
    }
    stepsRan += ran;
    byProcedure.push({ name, entered, steps, stepsRan: ran, stepsTotal: labels.length });
  }
  return {
    runs: cov.runs,
    procedures: { ran: byProcedure.length - neverEntered.length, total: byProcedure.length },
    steps: { ran: stepsRan, total: byStep.length },
    byProcedure,
    byStep,
    neverEntered,
    neverRun,
  };
}

/** Joins `names` into lines of at most `width` characters, each starting with `indent`. */
function wrap(names: readonly string[], indent: string, width = 100): string[] {
  const lines: string[] = [];
  let line = indent;
  for (const n of names) {
    const sep = line === indent ? '' : ', ';
    if (line !== indent && line.length + sep.length + n.length > width) {
      lines.push(`${line},`);
      line = indent + n;
    } else line += sep + n;
  }
  if (line !== indent) lines.push(line);
  return lines;
}

/** The compact text summary: totals, what never ran, the most executed steps. */
export function coverageSummary(t: CoverageTable, top = 5): string[] {
  const runs = `${t.runs} run${t.runs === 1 ? '' : 's'}`;
  const out = [
    `coverage (${runs}): ${t.procedures.ran} of ${t.procedures.total} procedures entered, ` +
      `${t.steps.ran} of ${t.steps.total} steps run`,
  ];
  if (t.neverEntered.length > 0) {
    out.push(`  never entered (${t.neverEntered.length}):`, ...wrap(t.neverEntered, '    '));
  }
  if (t.neverRun.length > 0) {
    out.push(`  never run, in entered procedures (${t.neverRun.length}):`, ...wrap(t.neverRun, '    '));
  }
  const most = [...t.byStep]
    .filter((s) => s.count > 0)
    .sort((a, b) => b.count - a.count || (a.step < b.step ? -1 : 1))
    .slice(0, top)
    .map((s) => `${s.step} ${s.count}`);
  if (most.length > 0) out.push('  most run:', ...wrap(most, '    '));
  return out;
}
