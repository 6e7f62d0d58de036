/**
 * A model bound to one configuration: its procedures (as the configuration selects them, see
 * Model.proceduresFor), its invariants split by when they are checked, and the primitive that runs
 * one atomic step (shared by the executor and the exhaustive searches).
 * Contract: `execStep` mutates `state` in place; choices come from the `choose` callback; a
 * `ctx.fail` inside the step surfaces as a thrown ModelFailure, any other throw is a harness bug.
 */
import { HarnessError, ModelFailure } from './errors.js';
import { segmentsOverlap } from './footprint.js';
import type {
  Access,
  AnyModel,
  Config,
  Frame,
  Invariant,
  Locals,
  Procedure,
  ProcedureTable,
  ReadCtx,
  Step,
  StepCtx,
  SystemState,
  Thread,
  ThreadId,
} from './types.js';
import { asThreadId } from './types.js';

export type Chooser = (arity: number, what: string, tid: ThreadId) => number;

export class Instance<S = unknown> {
  readonly stepInvariants: readonly Invariant<S>[];
  readonly quiescentInvariants: readonly Invariant<S>[];
  readonly procedures: ProcedureTable<S>;
  /** Per step invariant: its reads split into segments, or null when it is checked after every step. */
  private readonly stepReads: ReadonlyArray<string[][] | null>;
  /** Step invariants checked after every step (no reads declared, or reading thread frames). */
  private readonly alwaysChecked: readonly Invariant<S>[];
  private state: SystemState<S> | null = null;
  private chooser: Chooser | null = null;
  private readonly ctx: StepCtx;
  private currentTid: ThreadId = asThreadId(0);
  /** The read-only context of each thread's footprints (made once per thread). */
  private readonly readCtxs: ReadCtx[] = [];

  constructor(
    readonly model: AnyModel,
    readonly config: Config,
  ) {
    this.procedures = model.proceduresFor?.(config, model.procedures) ?? model.procedures;
    const all = model.invariants(config) as readonly Invariant<S>[];
    this.stepInvariants = all.filter((i) => i.when === 'step');
    this.quiescentInvariants = all.filter((i) => i.when === 'quiescent');
    this.alwaysChecked = this.stepInvariants.filter((i) => i.reads === undefined || i.readsThreads === true);
    this.stepReads = this.stepInvariants.map((i) =>
      i.reads === undefined || i.readsThreads === true
        ? null
        : i.reads.map((p) => (p === '' ? [] : p.split('.'))),
    );
    this.ctx = this.makeCtx();
  }

  init(): SystemState<S> {
    return this.model.init(this.config) as SystemState<S>;
  }

  get invariants(): readonly Invariant<S>[] {
    return [...this.stepInvariants, ...this.quiescentInvariants];
  }

  /** The step the thread would take next. Precondition: the thread is not done. */
  nextStep(thread: Thread): Step<S> {
    const frame = thread.stack[thread.stack.length - 1] as Frame;
    const proc = this.procedures[frame.proc];
    if (proc === undefined) throw new HarnessError(`unknown procedure '${frame.proc}'`);
    const step = proc.steps[frame.pc];
    if (step === undefined) throw new HarnessError(`procedure '${frame.proc}' has no step '${frame.pc}'`);
    return step;
  }

  isEnabled(state: SystemState<S>, thread: Thread): boolean {
    if (thread.stack.length === 0 || thread.blockedOn !== null) return false;
    const step = this.nextStep(thread);
    return (
      step.guard === undefined || step.guard(state.shared, thread.stack[thread.stack.length - 1] as Frame)
    );
  }

  /** Fills `out` with the enabled thread ids in ascending order; returns their count. */
  enabledInto(state: SystemState<S>, out: ThreadId[]): number {
    let n = 0;
    const threads = state.threads;
    for (let i = 0; i < threads.length; i++) {
      const t = threads[i] as Thread;
      if (this.isEnabled(state, t)) out[n++] = t.id;
    }
    out.length = n;
    return n;
  }

  /** Every non-daemon thread has finished. */
  allDone(state: SystemState<S>): boolean {
    for (const t of state.threads) if (t.stack.length > 0 && t.daemon !== true) return false;
    return true;
  }

  /** The deadlock report: every unfinished non-daemon thread, where it is and what it waits for. */
  deadlockMessage(state: SystemState<S>): string {
    const stuck = state.threads
      .filter((t) => t.stack.length > 0 && t.daemon !== true)
      .map((t) => `${t.name} at ${this.label(t)}${t.blockedOn ? ` blocked on ${t.blockedOn}` : ''}`);
    return `no thread enabled: ${stuck.join(', ')}`;
  }

  isQuiescent(state: SystemState<S>): boolean {
    return this.model.quiescent ? this.model.quiescent(state) : this.allDone(state);
  }

  /** Footprint of the thread's next step, or null when the step declares none (unknown). */
  footprint(state: SystemState<S>, tid: ThreadId): readonly Access[] | null {
    const thread = state.threads[tid] as Thread;
    const step = this.nextStep(thread);
    if (step.footprint === undefined) return null;
    let ctx = this.readCtxs[tid];
    if (ctx === undefined) {
      ctx = Object.freeze({ tid });
      this.readCtxs[tid] = ctx;
    }
    return step.footprint(state.shared, thread.stack[thread.stack.length - 1] as Frame, ctx);
  }

  /** Label of the thread's next step, as `proc.label`. */
  label(thread: Thread): string {
    const frame = thread.stack[thread.stack.length - 1];
    return frame ? `${frame.proc}.${frame.pc}` : '(done)';
  }

  /**
   * Runs one atomic step of `tid` on `state` (in place). Throws ModelFailure for a model finding.
   * Only `state.shared`, the stepping thread and the `threads` array are written in place; another
   * thread is replaced by a copy when woken, so callers may share thread objects between states.
   */
  execStep(state: SystemState<S>, tid: ThreadId, chooser: Chooser): void {
    const thread = state.threads[tid] as Thread;
    const frame = thread.stack[thread.stack.length - 1] as Frame;
    const step = this.nextStep(thread);
    this.state = state;
    this.chooser = chooser;
    this.currentTid = tid;
    let result: ReturnType<Step<S>['run']>;
    try {
      result = step.run(state.shared, frame, this.ctx);
    } catch (e) {
      if (e instanceof ModelFailure || e instanceof HarnessError) throw e;
      throw new HarnessError(
        `${frame.proc}.${frame.pc} threw: ${e instanceof Error ? e.message : String(e)}`,
      );
    } finally {
      this.state = null;
      this.chooser = null;
    }
    if (typeof result === 'string') {
      frame.pc = result;
      return;
    }
    switch (result.k) {
      case 'call': {
        const callee = this.procedures[result.proc];
        if (callee === undefined)
          throw new HarnessError(`${frame.proc}.${frame.pc} calls unknown '${result.proc}'`);
        frame.pc = result.ret;
        thread.stack.push({ proc: result.proc, pc: callee.entry, locals: result.args, into: result.into });
        return;
      }
      case 'ret': {
        thread.stack.pop();
        const caller = thread.stack[thread.stack.length - 1];
        if (caller !== undefined && frame.into !== null) caller.locals[frame.into] = result.value;
        return;
      }
      case 'block':
        frame.pc = result.next;
        thread.blockedOn = result.on;
        return;
    }
  }

  private makeCtx(): StepCtx {
    const self = this;
    return {
      get tid() {
        return self.currentTid;
      },
      choose(arity: number, what: string): number {
        if (!Number.isInteger(arity) || arity < 1) throw new HarnessError(`choose(${arity}) for '${what}'`);
        if (arity === 1) return 0;
        return (self.chooser as Chooser)(arity, what, self.currentTid);
      },
      spawn(name: string, proc: string, args: Locals, options?: { readonly daemon?: boolean }): ThreadId {
        const callee = self.procedures[proc];
        if (callee === undefined) throw new HarnessError(`spawn of unknown procedure '${proc}'`);
        const threads = (self.state as SystemState<S>).threads;
        const id = asThreadId(threads.length);
        const thread: Thread = {
          id,
          name,
          stack: [{ proc, pc: callee.entry, locals: args, into: null }],
          blockedOn: null,
        };
        if (options?.daemon === true) thread.daemon = true;
        threads.push(thread);
        return id;
      },
      wake(tid: ThreadId): void {
        const threads = (self.state as SystemState<S>).threads;
        const t = threads[tid];
        if (t === undefined) throw new HarnessError(`wake of unknown thread ${tid}`);
        // Copy-on-write: successor states share the other threads' objects with their parent.
        threads[tid] = { ...t, blockedOn: null };
      },
      fail(message: string): never {
        throw new ModelFailure(message);
      },
    };
  }

  /** The step invariants a step with this footprint may change the verdict of. */
  affected(footprint: readonly Access[]): readonly Invariant<S>[] {
    const writes: string[][] = [];
    for (const a of footprint)
      if (a.write && a.obj.charCodeAt(0) !== 64) writes.push(a.obj === '' ? [] : a.obj.split('.'));
    if (writes.length === 0) return this.alwaysChecked;
    const out: Invariant<S>[] = [];
    this.stepInvariants.forEach((inv, i) => {
      const reads = this.stepReads[i];
      if (
        reads === null ||
        reads === undefined ||
        reads.some((r) => writes.some((w) => segmentsOverlap(r, w)))
      ) {
        out.push(inv);
      }
    });
    return out;
  }

  /** Whether some step invariant can be skipped by footprint (worth computing footprints for). */
  get skippable(): boolean {
    return this.stepReads.some((r) => r !== null);
  }

  /** First violated invariant of `list`, or null. */
  check(state: SystemState<S>, list: readonly Invariant<S>[]): { name: string; message: string } | null {
    for (const inv of list) {
      const message = inv.check(state);
      if (message !== null) return { name: inv.name, message };
    }
    return null;
  }

  /**
   * Invariants due after a step: per-step ones, plus quiescent ones when the state is quiescent. With
   * the step's declared footprint, a step invariant none of whose reads the step writes is skipped
   * (it held before the step, see Invariant); without one, all are checked.
   */
  checkAfterStep(
    state: SystemState<S>,
    footprint: readonly Access[] | null = null,
  ): { name: string; message: string } | null {
    const v = this.check(state, footprint === null ? this.stepInvariants : this.affected(footprint));
    if (v !== null || this.quiescentInvariants.length === 0 || !this.isQuiescent(state)) return v;
    return this.check(state, this.quiescentInvariants);
  }
}

/** Helper for models: a thread at the entry of `proc`. */
export function newThread<S>(id: number, name: string, proc: Procedure<S>, locals: Locals = {}): Thread {
  return {
    id: asThreadId(id),
    name,
    stack: [{ proc: proc.name, pc: proc.entry, locals, into: null }],
    blockedOn: null,
  };
}

/** Helper for models: a daemon (server) thread at the entry of `proc`. */
export function newDaemon<S>(id: number, name: string, proc: Procedure<S>, locals: Locals = {}): Thread {
  return { ...newThread(id, name, proc, locals), daemon: true };
}
