/**
 * Engine data model: threads as data, procedures as tables of labelled atomic steps (PlusCal/Promela
 * style, see shared/design.md "The execution model"). Nothing here knows about kernels.
 *
 * Contract: the whole system state (`SystemState`) is plain data (numbers, strings, booleans, null,
 * arrays, plain objects): cloneable, printable, fingerprinted. Steps mutate the state they are given and
 * must be deterministic functions of (state, frame, choices made through `ctx.choose`).
 */

/** A plain-data value. Objects are records with string keys; key order carries no meaning. */
export type Value = null | boolean | number | string | readonly Value[] | { readonly [key: string]: Value };
export type Locals = { [key: string]: Value };

declare const threadIdBrand: unique symbol;
/** Index of a thread in `SystemState.threads`; threads are never removed, so ids are stable. */
export type ThreadId = number & { readonly [threadIdBrand]: true };
export const asThreadId = (n: number): ThreadId => n as ThreadId;

/**
 * One activation of a procedure. `into` names the caller's local that receives the return value.
 * `L`: the locals' type as the procedure declares it (see Procedure); the engine sees plain `Locals`.
 */
export interface Frame<L = Locals> {
  proc: string;
  pc: string;
  locals: L;
  into: string | null;
}

/**
 * A thread: an empty stack means done. `blockedOn` non-null means not enabled until woken. A daemon
 * (a kernel server thread looping on a request queue) never finishes: runs end when every other
 * thread is done, whatever the daemons are doing, and an idle daemon is not a deadlock.
 */
export interface Thread {
  id: ThreadId;
  name: string;
  stack: Frame[];
  blockedOn: string | null;
  daemon?: true;
}

export interface SystemState<S> {
  shared: S;
  threads: Thread[];
}

/**
 * An object a step touches. `obj` is a dotted path into `shared` ("x", "flag.1", "gpt.0.12"); a path
 * covers every path below it. `@tN` names thread N's own frames (never needed for a thread's own step).
 */
export interface Access {
  readonly obj: string;
  readonly write: boolean;
}

/** What a step does to its thread's control: goto a label, call, return, or block until woken. */
export type StepResult =
  | string
  | {
      readonly k: 'call';
      readonly proc: string;
      readonly args: Locals;
      readonly ret: string;
      readonly into: string | null;
    }
  | { readonly k: 'ret'; readonly value: Value }
  | { readonly k: 'block'; readonly on: string; readonly next: string };

export const call = (proc: string, args: Locals, ret: string, into: string | null = null): StepResult => ({
  k: 'call',
  proc,
  args,
  ret,
  into,
});
export const ret = (value: Value = null): StepResult => ({ k: 'ret', value });
export const block = (on: string, next: string): StepResult => ({ k: 'block', on, next });

/** What a step's footprint may read besides the state and its frame: the thread taking the step. */
export interface ReadCtx {
  readonly tid: ThreadId;
}

/** The services a step may use. Every nondeterministic choice goes through `choose`. */
export interface StepCtx extends ReadCtx {
  /** A data choice in [0, arity), made by the scheduler and recorded in the run. */
  choose(arity: number, what: string): number;
  /**
   * Creates a thread running `proc` with `args`; ids are allocated in order (deterministic). A daemon
   * (a server loop) never has to finish (see Thread).
   */
  spawn(name: string, proc: string, args: Locals, options?: { readonly daemon?: boolean }): ThreadId;
  /** Makes a blocked thread enabled again (Mesa semantics: it re-checks its condition itself). */
  wake(tid: ThreadId): void;
  /** Reports a model finding (a kernel assertion, a panic); ends the run as a violation. */
  fail(message: string): never;
}

/**
 * One atomic step of a procedure whose frames hold locals of type `L`. The members are method
 * signatures on purpose: a Step<S, L> is then a Step<S> (plain `Locals`), which is how procedure
 * tables and the engine see every procedure, whatever its declared locals.
 */
export interface Step<S, L = Locals> {
  /**
   * Objects read and written by this step (including those its guard reads), from the state before
   * it. Must over-approximate. Absent = unknown: conflicts with everything (disables reduction).
   * Gets the context `run` gets, read-only (the thread), so both compute paths alike.
   */
  footprint?(shared: S, frame: Frame<L>, ctx: ReadCtx): readonly Access[];
  /** The thread cannot take this step while the guard is false (an await). Reads only. */
  guard?(shared: S, frame: Frame<L>): boolean;
  /**
   * Taking this step is progress (SPIN's progress label): exhaustive search reports as `livelock` a
   * reachable cycle none of whose steps is a progress step (search/cycles.ts).
   */
  progress?: true;
  run(shared: S, frame: Frame<L>, ctx: StepCtx): StepResult;
}

/**
 * A procedure: labelled steps, entered at `entry`. `L` declares its locals once: the arguments, then
 * what its steps store (each field typed as it is when read; plain data, assignable to `Locals`).
 * Default: untyped `Locals`.
 */
export interface Procedure<S, L extends Locals = Locals> {
  readonly name: string;
  readonly entry: string;
  readonly steps: { readonly [label: string]: Step<S, L> };
}

/** Procedures by name, as a model and the engine hold them (each with its own locals type). */
export type ProcedureTable<S> = { readonly [name: string]: Procedure<S> };

/**
 * A named invariant. `when: 'step'` is checked after every step, `'quiescent'` only in states the
 * model calls quiescent (default: every thread done). `reads` lists the shared objects it reads, as
 * paths where `*` matches any one segment (`proc.*.copy.*.gpt`); absent = reads everything. A step
 * invariant is skipped after a step whose declared writes touch none of its reads (it held before and
 * nothing it reads changed), and partial-order reduction treats steps writing its reads as visible.
 * `readsThreads`: it also reads thread frames, so it is checked after every step.
 */
export interface Invariant<S> {
  readonly name: string;
  readonly when: 'step' | 'quiescent';
  readonly reads?: readonly string[];
  readonly readsThreads?: boolean;
  check(state: SystemState<S>): string | null;
}

export type ConfigValue = number | boolean | string;
export type Config = { readonly [key: string]: ConfigValue };

/** One configuration key, for `--set key=value` parsing and `mmcheck list`. */
export type ConfigParam =
  | { readonly type: 'int'; readonly min: number; readonly max: number; readonly doc: string }
  | { readonly type: 'bool'; readonly doc: string }
  | { readonly type: 'enum'; readonly values: readonly string[]; readonly doc: string }
  | { readonly type: 'text'; readonly doc: string };

export interface Model<S, C extends Config = Config> {
  readonly name: string;
  readonly summary: string;
  readonly params: { readonly [key in keyof C]: ConfigParam };
  readonly defaultConfig: C;
  /** Rejects impossible combinations with a one-line message (throws UsageError). */
  validate?(config: C): void;
  init(config: C): SystemState<S>;
  readonly procedures: ProcedureTable<S>;
  /**
   * The procedure table of one configuration, for a model whose configuration selects variants of
   * some procedures (built once per Instance); absent = `procedures` as they are. Gets the table to
   * start from: `procedures`, or a copy of the model with some of them replaced.
   */
  proceduresFor?(config: C, procedures: ProcedureTable<S>): ProcedureTable<S>;
  invariants(config: C): readonly Invariant<S>[];
  /** States where quiescent invariants hold; default: every thread done. */
  quiescent?(state: SystemState<S>): boolean;
  /**
   * Over-approximation of every object thread `tid` may still touch from `state` on (for persistent
   * sets). Absent or null = anything.
   */
  mayAccess?(state: SystemState<S>, tid: ThreadId): readonly Access[] | null;
}

// biome-ignore lint/suspicious/noExplicitAny: registries hold models of any state type
export type AnyModel = Model<any, any>;
