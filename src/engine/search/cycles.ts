/**
 * Non-progress cycles in the stored state graph (SPIN's non-progress cycles: Holzmann, "The SPIN
 * Model Checker", 2003, ch. 8 and 9). The non-progress graph keeps the computed transitions that are
 * not progress steps; an iterative Tarjan decomposition (no recursion: 10^6 states) splits it into
 * strongly connected components, and a component with a transition inside it holds a cycle.
 *
 * Weak fairness (`fair`): a cycle counts only when every thread enabled in all of its states takes a
 * step in it. Per thread this is a Büchi condition (infinitely often disabled or taken), so a
 * component holds a fair cycle iff for every thread it has a state where the thread is disabled or a
 * transition of the thread inside it; one decomposition suffices (Emerson-Lei refinement, which
 * deletes states and decomposes again, is needed for strong fairness only).
 *
 * The cycle reported starts at the state of a qualifying component closest to the initial state
 * (breadth-first over the stored graph: the prefix), then walks inside the component through a
 * witness of each thread's fairness and back. Rows are TransitionGraph row indices.
 */
import { HarnessError } from '../errors.js';
import type { TransitionGraph } from './cycleGraph.js';
import { cycleThreadsMax } from './cycleGraph.js';

export interface CycleFinding {
  /** Rows from the initial state (index 0) to the cycle's first state. */
  readonly prefix: readonly number[];
  /** Rows of one turn of the cycle, back to its first state. */
  readonly cycle: readonly number[];
}

export interface CycleSearch {
  readonly found: CycleFinding | null;
  /** Non-progress cycles exist, but none is weakly fair (only set when `fair`). */
  readonly unfairOnly: boolean;
}

/** Per thread, what a fair cycle of a component needs: nothing, a state where it is disabled, or a step. */
const free = 0;
const needsDisabled = 1;
const needsStep = 2;

export function findNonProgressCycle(graph: TransitionGraph, states: number, fair: boolean): CycleSearch {
  const g = new Rows(graph, states);
  const comp = new Int32Array(states).fill(-1);
  const qualifying = new Set<number>();
  let cyclic = false;
  tarjan(g, comp, (members, id) => {
    if (members.length === 1 && !selfLoop(g, members[0] as number)) return;
    const needs = threadNeeds(g, comp, members, id);
    if (needs === null) return;
    cyclic = true;
    if (!fair || needs.every((n, t) => n !== needsStep || needs.stepped[t] === 1)) qualifying.add(id);
  });
  if (qualifying.size === 0) return { found: null, unfairOnly: fair && cyclic };
  const { dist, via } = distances(g);
  let root = -1;
  for (let s = 0; s < states; s++) {
    const d = dist[s] as number;
    if (d >= 0 && qualifying.has(comp[s] as number) && (root === -1 || d < (dist[root] as number))) root = s;
  }
  const prefix: number[] = [];
  for (let s = root; s !== 0; s = graph.from(via[s] as number)) prefix.push(via[s] as number);
  prefix.reverse();
  const id = comp[root] as number;
  const needs = fair ? (threadNeeds(g, comp, membersOf(comp, id), id) as Needs) : null;
  return { found: { prefix, cycle: buildCycle(g, comp, id, root, needs) }, unfairOnly: false };
}

/** The stored graph with its rows grouped by source state. */
class Rows {
  readonly start: Int32Array;
  private readonly order: Int32Array | null;
  constructor(
    readonly graph: TransitionGraph,
    readonly states: number,
  ) {
    const { start, order } = graph.bySource(states);
    this.start = start;
    this.order = order;
  }
  /** The i-th row in source order. */
  row(i: number): number {
    return this.order === null ? i : (this.order[i] as number);
  }
  forEach(s: number, f: (e: number) => void): void {
    const end = this.start[s + 1] as number;
    for (let i = this.start[s] as number; i < end; i++) f(this.row(i));
  }
  enabled(s: number, tid: number): boolean {
    const end = this.start[s + 1] as number;
    for (let i = this.start[s] as number; i < end; i++) if (this.graph.tid(this.row(i)) === tid) return true;
    return false;
  }
}

/** Iterative Tarjan on the non-progress graph; `found` gets each component as it completes. */
function tarjan(g: Rows, comp: Int32Array, found: (members: readonly number[], id: number) => void): void {
  const n = g.states;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const cursor = new Int32Array(n);
  const stack = new Int32Array(n);
  const calls = new Int32Array(n);
  let sp = 0;
  let counter = 0;
  let comps = 0;
  const open = (v: number): void => {
    index[v] = counter;
    low[v] = counter++;
    cursor[v] = g.start[v] as number;
    stack[sp++] = v;
  };
  for (let root = 0; root < n; root++) {
    if ((index[root] as number) !== -1) continue;
    let top = 0;
    calls[0] = root;
    open(root);
    while (top >= 0) {
      const v = calls[top] as number;
      if ((cursor[v] as number) < (g.start[v + 1] as number)) {
        const e = g.row(cursor[v] as number);
        cursor[v] = (cursor[v] as number) + 1;
        if (!g.graph.stalls(e)) continue;
        const w = g.graph.to(e);
        if ((index[w] as number) === -1) {
          open(w);
          calls[++top] = w;
        } else if ((comp[w] as number) === -1) {
          // w is on the stack: visited, not yet in a component.
          low[v] = Math.min(low[v] as number, index[w] as number);
        }
        continue;
      }
      if (low[v] === index[v]) {
        const members: number[] = [];
        let w: number;
        do {
          w = stack[--sp] as number;
          comp[w] = comps;
          members.push(w);
        } while (w !== v);
        found(members, comps++);
      }
      top--;
      if (top >= 0) {
        const u = calls[top] as number;
        low[u] = Math.min(low[u] as number, low[v] as number);
      }
    }
  }
}

type Needs = number[] & { stepped: Uint8Array };

/**
 * Per thread, what a weakly fair cycle in component `id` needs, and (`stepped`) whether the thread
 * has a non-progress transition inside it; null when the component holds no cycle.
 */
function threadNeeds(g: Rows, comp: Int32Array, members: readonly number[], id: number): Needs | null {
  const enabledIn = new Int32Array(cycleThreadsMax);
  const lastSeen = new Int32Array(cycleThreadsMax).fill(-1);
  const stepped = new Uint8Array(cycleThreadsMax);
  let inner = false;
  for (const x of members) {
    g.forEach(x, (e) => {
      const t = g.graph.tid(e);
      if (lastSeen[t] !== x) {
        lastSeen[t] = x;
        enabledIn[t] = (enabledIn[t] as number) + 1;
      }
      if (g.graph.stalls(e) && comp[g.graph.to(e)] === id) {
        stepped[t] = 1;
        inner = true;
      }
    });
  }
  if (!inner) return null;
  const needs = Array.from(enabledIn, (k) =>
    k === 0 ? free : k === members.length ? needsStep : needsDisabled,
  ) as Needs;
  needs.stepped = stepped;
  return needs;
}

function selfLoop(g: Rows, s: number): boolean {
  let found = false;
  g.forEach(s, (e) => {
    if (g.graph.stalls(e) && g.graph.to(e) === s) found = true;
  });
  return found;
}

function membersOf(comp: Int32Array, id: number): number[] {
  const out: number[] = [];
  for (let s = 0; s < comp.length; s++) if (comp[s] === id) out.push(s);
  return out;
}

/** Breadth-first distances (in rows) from the initial state over every computed transition. */
function distances(g: Rows): { dist: Int32Array; via: Int32Array } {
  const dist = new Int32Array(g.states).fill(-1);
  const via = new Int32Array(g.states).fill(-1);
  const queue = new Int32Array(g.states);
  let head = 0;
  let tail = 0;
  dist[0] = 0;
  queue[tail++] = 0;
  while (head < tail) {
    const s = queue[head++] as number;
    g.forEach(s, (e) => {
      const t = g.graph.to(e);
      if (t < 0 || (dist[t] as number) !== -1) return;
      dist[t] = (dist[s] as number) + 1;
      via[t] = e;
      queue[tail++] = t;
    });
  }
  return { dist, via };
}

/**
 * One turn of a cycle in component `id` from `root`: for each thread whose fairness the walk so far
 * does not witness, the shortest path inside the component to a witness (a state where the thread is
 * disabled, or a transition of the thread), then the shortest path back to `root`.
 */
function buildCycle(g: Rows, comp: Int32Array, id: number, root: number, needs: Needs | null): number[] {
  const rows: number[] = [];
  const visited = [root];
  let cur = root;
  const extend = (path: readonly number[]): void => {
    for (const e of path) {
      rows.push(e);
      visited.push(g.graph.to(e));
    }
    if (path.length > 0) cur = g.graph.to(path[path.length - 1] as number);
  };
  if (needs !== null) {
    needs.forEach((need, t) => {
      if (need === needsStep && !rows.some((e) => g.graph.tid(e) === t))
        extend(pathWithin(g, comp, id, cur, (e) => g.graph.tid(e) === t, null));
      else if (need === needsDisabled && visited.every((s) => g.enabled(s, t)))
        extend(pathWithin(g, comp, id, cur, null, (s) => !g.enabled(s, t)));
    });
  }
  if (cur !== root || rows.length === 0)
    extend(pathWithin(g, comp, id, cur, (e) => g.graph.to(e) === root, null));
  return rows;
}

/**
 * Shortest path of non-progress transitions inside component `id` from `from` that ends with a row
 * meeting `edgeGoal`, or at a state (other than `from`) meeting `stateGoal`.
 */
function pathWithin(
  g: Rows,
  comp: Int32Array,
  id: number,
  from: number,
  edgeGoal: ((e: number) => boolean) | null,
  stateGoal: ((s: number) => boolean) | null,
): number[] {
  const reachedBy = new Map<number, number>([[from, -1]]);
  const pathTo = (s: number, last: number | null): number[] => {
    const out: number[] = last === null ? [] : [last];
    for (let x = s; x !== from; x = g.graph.from(reachedBy.get(x) as number))
      out.push(reachedBy.get(x) as number);
    return out.reverse();
  };
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    const x = queue[head] as number;
    let done: number[] | null = null;
    g.forEach(x, (e) => {
      if (done !== null || !g.graph.stalls(e) || comp[g.graph.to(e)] !== id) return;
      if (edgeGoal?.(e)) {
        done = pathTo(x, e);
        return;
      }
      const y = g.graph.to(e);
      if (reachedBy.has(y)) return;
      reachedBy.set(y, e);
      if (stateGoal?.(y)) done = pathTo(y, null);
      else queue.push(y);
    });
    if (done !== null) return done;
  }
  throw new HarnessError('pathWithin: no path inside a strongly connected component');
}
