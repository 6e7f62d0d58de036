/**
 * Runs one execution of a model instance under a scheduler: pick an enabled thread, run its next
 * atomic step, check invariants; detect deadlock (nothing enabled, not all done) and livelock (step
 * budget; with `cycles`, the non-progress cycle the run closed at the budget). Records the decisions
 * (enough to replay) and, when asked, a full trace whose entries carry the state changes of each step,
 * validated against the declared footprints; with `coverage`, counts the steps that ran.
 * Decision encoding: thread pick = 2*tid, data choice = 2*value+1.
 */
import type { Coverage } from './coverage.js';
import { CycleWatch } from './cycleWatch.js';
import { HarnessError, ModelFailure } from './errors.js';
import { formatAccesses, validateFootprint } from './footprint.js';
import type { Instance } from './instance.js';
import type { Scheduler } from './scheduler.js';
import type { TraceEntry } from './trace.js';
import type { SystemState, Thread, ThreadId } from './types.js';
import { type Change, cloneValue, diffValues } from './value.js';
import type { Violation } from './violation.js';

export interface ExecOptions {
  /** Step budget; reaching it is reported as `livelock`. */
  readonly maxSteps: number;
  /** Check per-step and quiescent invariants (deadlock, livelock and assertions are always on). */
  readonly checkInvariants: boolean;
  /** Record a full trace with state changes (slow; used to report and replay). */
  readonly trace: boolean;
  /**
   * At the step budget, report a non-progress cycle the run closed (cycleWatch.ts) instead of the
   * budget (slow: fingerprints every state; replay uses it).
   */
  readonly cycles?: boolean;
  /** Counts every step and procedure entry of the run into this table (coverage.ts). */
  readonly coverage?: Coverage;
}

export interface Execution<S> {
  readonly violation: Violation | null;
  readonly steps: number;
  readonly decisions: number[];
  readonly trace: TraceEntry[] | null;
  readonly state: SystemState<S>;
}

export const defaultExecOptions: ExecOptions = { maxSteps: 100_000, checkInvariants: true, trace: false };

export function execute<S>(
  inst: Instance<S>,
  scheduler: Scheduler,
  run: number,
  opts: ExecOptions = defaultExecOptions,
): Execution<S> {
  const state = inst.init();
  const decisions: number[] = [];
  const trace: TraceEntry[] | null = opts.trace ? [] : null;
  const enabled: ThreadId[] = [];
  let stepChoices: number[] = [];
  const chooser = (arity: number, what: string, tid: ThreadId): number => {
    const v = scheduler.pickData(arity, what, tid);
    decisions.push(2 * v + 1);
    if (trace) stepChoices.push(v);
    return v;
  };
  scheduler.begin(run);
  const skipByFootprint = opts.checkInvariants && inst.skippable;
  let current: ThreadId | null = null;
  let steps = 0;
  let violation: Violation | null = null;
  const cycles = opts.cycles === true ? new CycleWatch(inst) : null;
  const coverage = opts.coverage;
  coverage?.begin(state);
  if (opts.checkInvariants) {
    const v = inst.checkAfterStep(state);
    if (v) violation = { kind: 'invariant', ...v, step: 0 };
  }
  while (violation === null) {
    if (inst.enabledInto(state, enabled) === 0) {
      if (!inst.allDone(state)) violation = deadlock(inst, state, steps);
      break;
    }
    cycles?.visit(state, enabled);
    if (steps >= opts.maxSteps) {
      violation = cycles?.closing(state) ?? {
        kind: 'livelock',
        name: 'livelock',
        message: `step budget of ${opts.maxSteps} exhausted`,
        step: steps,
      };
      break;
    }
    const tid = scheduler.pickThread(enabled, current, steps);
    if (!enabled.includes(tid))
      throw new HarnessError(`scheduler ${scheduler.name} picked thread ${tid}, not enabled`);
    decisions.push(2 * tid);
    cycles?.step(state, tid);
    current = tid;
    const before = trace ? cloneValue(state) : null;
    const footprint = trace || skipByFootprint ? inst.footprint(state, tid) : null;
    const label = trace ? inst.label(state.threads[tid] as Thread) : '';
    stepChoices = [];
    coverage?.before(state, tid);
    try {
      inst.execStep(state, tid, chooser);
      coverage?.after(state, tid);
    } catch (e) {
      if (!(e instanceof ModelFailure)) throw e;
      violation = { kind: 'assertion', name: 'assertion', message: e.message, step: steps + 1 };
    }
    steps++;
    if (trace && before) {
      trace.push(traceEntry(steps, tid, state, before, label, footprint, stepChoices));
    }
    if (violation === null && opts.checkInvariants) {
      const v = inst.checkAfterStep(state, footprint);
      if (v) violation = { kind: 'invariant', ...v, step: steps };
    }
  }
  scheduler.end(steps);
  return { violation, steps, decisions, trace, state };
}

function deadlock<S>(inst: Instance<S>, state: SystemState<S>, steps: number): Violation {
  return { kind: 'deadlock', name: 'deadlock', message: inst.deadlockMessage(state), step: steps };
}

function traceEntry<S>(
  step: number,
  tid: ThreadId,
  state: SystemState<S>,
  before: SystemState<S>,
  label: string,
  footprint: ReturnType<Instance<S>['footprint']>,
  choices: number[],
): TraceEntry {
  const sharedChanges = diffValues(before.shared, state.shared);
  const changes = [...sharedChanges];
  const otherThreads: number[] = [];
  for (const t of state.threads) {
    const old = before.threads[t.id];
    const d = threadChanges(old, t);
    if (d.length > 0 && t.id !== tid && old !== undefined) otherThreads.push(t.id);
    changes.push(...d);
  }
  const spawned = state.threads.length > before.threads.length;
  if (footprint !== null) validateFootprint(label, footprint, sharedChanges, otherThreads, spawned);
  const thread = state.threads[tid] as Thread;
  return {
    step,
    tid,
    thread: thread.name,
    label,
    footprint: footprint === null ? null : formatAccesses(footprint),
    choices,
    changes,
  };
}

/** A thread's changes, frame by frame: `@t0[0].pc`, `@t0[0].v` (a local), `@t0[1]` (a pushed/popped frame). */
function threadChanges(old: Thread | undefined, t: Thread): Change[] {
  const at = `@t${t.id}`;
  if (old === undefined)
    return [{ path: at, from: undefined, to: `spawned ${t.name} at ${t.stack[0]?.proc}` }];
  const out: Change[] = [];
  if (old.blockedOn !== t.blockedOn)
    out.push({ path: `${at}.blockedOn`, from: old.blockedOn, to: t.blockedOn });
  const n = Math.max(old.stack.length, t.stack.length);
  for (let i = 0; i < n; i++) {
    const a = old.stack[i];
    const b = t.stack[i];
    if (a === undefined || b === undefined) {
      out.push({
        path: `${at}[${i}]`,
        from: a ? `${a.proc}.${a.pc}` : undefined,
        to: b ? `${b.proc}.${b.pc}` : undefined,
      });
      if (b) diffValues({}, b.locals, `${at}[${i}]`, out);
    } else {
      if (a.pc !== b.pc) out.push({ path: `${at}[${i}].pc`, from: a.pc, to: b.pc });
      diffValues(a.locals, b.locals, `${at}[${i}]`, out);
    }
  }
  return out;
}
