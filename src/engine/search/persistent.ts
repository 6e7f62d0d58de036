/**
 * Persistent sets from footprints, computed as thread-level stubborn sets (Valmari 1990; Godefroid
 * 1996, ch. 4). Starting from one enabled thread, the set T of threads is closed under:
 *   - t in T enabled: every other live thread whose possible future (model.mayAccess) conflicts with
 *     t's next step joins T;
 *   - u in T disabled: every thread that may write what u's next step reads (its guard included) or
 *     may wake u (`@tU`) joins T, so u cannot be enabled from outside T.
 * Threads without `mayAccess` may touch anything. A step without a declared footprint conflicts with
 * everything. The enabled threads of T form a persistent set; it is used only when every one of their
 * next steps is invisible (writes nothing an invariant reads; an invariant without `reads` reads
 * everything; and, when `visible` says so, is no progress step). The cycle proviso (C3) is applied by
 * the DFS.
 */
import { conflicts, writesAny } from '../footprint.js';
import type { Instance } from '../instance.js';
import type { Access, SystemState, ThreadId } from '../types.js';

const everything: readonly Access[] = [{ obj: '', write: true }];

/**
 * Objects the invariants read. Quiescent invariants count only when the model defines its own
 * quiescent states: by default they are terminal states, which persistent sets preserve anyway.
 */
export function invariantReads<S>(inst: Instance<S>): readonly string[] | null {
  const reads: string[] = [];
  const list = inst.model.quiescent ? inst.invariants : inst.stepInvariants;
  for (const inv of list) {
    if (inv.reads === undefined) return null;
    reads.push(...inv.reads);
  }
  return reads;
}

/**
 * Does step `a` of thread t (`own` = `a` plus t's own frames) conflict with another thread's possible
 * future? An unknown future conflicts with every step that touches a shared object.
 */
function clash(a: readonly Access[], own: readonly Access[], future: readonly Access[]): boolean {
  if (future === everything) return a.length > 0;
  return conflicts(own, future);
}

/** Writes of `future` that touch what `reads` reads. */
function writesTo(future: readonly Access[], reads: readonly Access[]): boolean {
  if (future === everything) return true;
  return conflicts(
    future.filter((x) => x.write),
    reads.map((x) => ({ obj: x.obj, write: false })),
  );
}

/**
 * The smallest persistent set found (enabled thread ids), or null to expand everything. `visible`:
 * threads whose next step is visible besides invariant reads (progress steps, for the cycle check).
 */
export function persistentSet<S>(
  inst: Instance<S>,
  state: SystemState<S>,
  enabled: readonly ThreadId[],
  reads: readonly string[] | null,
  visible: (tid: ThreadId) => boolean = () => false,
): ThreadId[] | null {
  if (enabled.length <= 1 || reads === null) return null;
  const live = state.threads.filter((t) => t.stack.length > 0).map((t) => t.id);
  const future = new Map<ThreadId, readonly Access[]>();
  const next = new Map<ThreadId, readonly Access[] | null>();
  for (const u of live) {
    future.set(u, inst.model.mayAccess?.(state, u) ?? everything);
    next.set(u, inst.footprint(state, u));
  }
  let best: ThreadId[] | null = null;
  for (const seed of enabled) {
    const t = closure(seed, live, enabled, future, next);
    if (t === null) continue;
    const members = enabled.filter((u) => t.has(u));
    if (members.some((u) => visible(u) || writesAny(next.get(u) as readonly Access[], reads))) continue;
    if (best === null || members.length < best.length) best = members;
    if (best.length === 1) break;
  }
  return best !== null && best.length < enabled.length ? best : null;
}

function closure(
  seed: ThreadId,
  live: readonly ThreadId[],
  enabled: readonly ThreadId[],
  future: ReadonlyMap<ThreadId, readonly Access[]>,
  next: ReadonlyMap<ThreadId, readonly Access[] | null>,
): Set<ThreadId> | null {
  const inT = new Set<ThreadId>([seed]);
  const work: ThreadId[] = [seed];
  while (work.length > 0) {
    const t = work.pop() as ThreadId;
    const step = next.get(t) ?? null;
    if (step === null) return null;
    const isEnabled = enabled.includes(t);
    const guardReads: readonly Access[] = [...step, { obj: `@t${t}`, write: false }];
    const own: readonly Access[] = [...step, { obj: `@t${t}`, write: true }];
    for (const u of live) {
      if (inT.has(u)) continue;
      const f = future.get(u) as readonly Access[];
      if (isEnabled ? clash(step, own, f) : writesTo(f, guardReads)) {
        inT.add(u);
        work.push(u);
      }
    }
  }
  return inT;
}
