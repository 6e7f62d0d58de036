/**
 * After a search without a safety violation: the non-progress cycle check on the stored graph
 * (cycles.ts) and, when it finds a cycle, its replayable counterexample. The rows of the prefix and of
 * one turn of the cycle are re-executed from the initial state (a row's successor is the one of its
 * thread that the visited set maps to the row's target), giving executor decisions; the violation is
 * the one replay reports for them (cycleWatch.ts), so a search's livelock and its replay agree by
 * construction, and `cycleStart` is the index in the decisions where the replayed cycle begins.
 */
import { HarnessError } from '../errors.js';
import { execute } from '../executor.js';
import type { Hasher } from '../hash.js';
import type { Instance } from '../instance.js';
import { replayScheduler } from '../schedulers/replay.js';
import type { ThreadId } from '../types.js';
import type { Violation } from '../violation.js';
import type { TransitionGraph } from './cycleGraph.js';
import { type CycleFinding, findNonProgressCycle } from './cycles.js';
import { boundedChoices, nodeFingerprint, type SearchNode } from './node.js';
import { forEachSuccessor } from './successors.js';
import type { SearchOptions } from './types.js';
import type { FingerprintTable } from './visited.js';

export interface Livelock {
  readonly violation: Violation;
  readonly decisions: number[];
  readonly cycleStart: number;
}

/** What the search stored, as the witness needs it. */
export interface StoredSearch {
  readonly graph: TransitionGraph;
  readonly table: FingerprintTable;
  /** Whether fingerprints memoise object digests (node.ts), as during the search. */
  readonly memo: boolean;
  /** The search's hasher (hash.ts), which the witness's fingerprints go through too. */
  readonly hasher: Hasher;
}

/** A livelock, 'unfairOnly' (cycles exist, none weakly fair), or null (no non-progress cycle). */
export function checkLivelock<S>(
  inst: Instance<S>,
  stored: StoredSearch,
  opts: SearchOptions,
): Livelock | 'unfairOnly' | null {
  const r = findNonProgressCycle(stored.graph, stored.table.size, (opts.livelock ?? 'fair') === 'fair');
  if (r.found === null) return r.unfairOnly ? 'unfairOnly' : null;
  return counterexample(inst, stored, opts, r.found);
}

function counterexample<S>(
  inst: Instance<S>,
  { graph, table, memo, hasher }: StoredSearch,
  opts: SearchOptions,
  finding: CycleFinding,
): Livelock {
  const bounded = opts.preemptionBound !== null;
  const fp = new Uint32Array(2);
  const enabled: ThreadId[] = [];
  const decisions: number[] = [];
  let node: SearchNode<S> = { state: inst.init(), last: -1, preemptions: 0 };
  for (const e of [...finding.prefix, ...finding.cycle]) {
    const tid = graph.tid(e) as ThreadId;
    inst.enabledInto(node.state, enabled);
    const choice = boundedChoices(enabled, node, opts.preemptionBound).find(([t]) => t === tid);
    let next: SearchNode<S> | null = null;
    if (choice !== undefined) {
      forEachSuccessor(
        inst,
        node.state,
        tid,
        (state, d, failure) => {
          if (failure !== null) return false;
          const child: SearchNode<S> = { state, last: tid, preemptions: choice[1] };
          nodeFingerprint(hasher, child, bounded, fp, memo);
          if (table.get(fp) !== graph.to(e)) return false;
          next = child;
          decisions.push(...d);
          return true;
        },
        opts.copyOnWrite ?? true,
      );
    }
    if (next === null)
      throw new HarnessError(
        `livelock witness: transition ${graph.from(e)} -> ${graph.to(e)} not reproduced`,
      );
    node = next;
  }
  const picks = finding.prefix.length + finding.cycle.length;
  const replayed = execute(inst, replayScheduler(decisions), 0, {
    maxSteps: picks,
    checkInvariants: false,
    trace: false,
    cycles: true,
  });
  const cycle = replayed.violation?.cycle;
  if (replayed.violation === null || cycle === undefined)
    throw new HarnessError('livelock witness: the decisions do not replay to a non-progress cycle');
  let cycleStart = 0;
  for (let picked = 0; picked < cycle.prefix; cycleStart++)
    if ((decisions[cycleStart] as number) % 2 === 0) picked++;
  // Skip the data choices of the prefix's last step: the cycle begins with a thread pick.
  while (cycleStart < decisions.length && (decisions[cycleStart] as number) % 2 === 1) cycleStart++;
  return { violation: replayed.violation, decisions, cycleStart };
}
