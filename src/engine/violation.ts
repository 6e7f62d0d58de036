/**
 * What an execution or a search can find. `name` is the invariant name, or one of the built-in
 * checks: `assertion` (the model called ctx.fail), `deadlock`, `livelock` (step budget exhausted).
 */
export type ViolationKind = 'invariant' | 'assertion' | 'deadlock' | 'livelock';

export interface Violation {
  readonly kind: ViolationKind;
  readonly name: string;
  readonly message: string;
  /** Number of steps taken when it was detected. */
  readonly step: number;
}
