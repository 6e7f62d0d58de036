/**
 * Non-progress cycle detection (search/cycles.ts): a real livelock (polite-backoff) is found by BFS,
 * DFS and DFS+POR with a prefix and a cycle that replay to the same state; weak fairness (the
 * default) drops cycles that starve an enabled thread and keeps those where a thread is disabled
 * infinitely often; `livelock: 'any'` reports every cycle; an idle daemon after the run is over is
 * no livelock; terminating models (every example, small almos scenarios) pass.
 *
 * polite-backoff by hand: from the initial state (both threads at `raise`, flags down) T0 raise, T1
 * raise, T0 check (sees flag 1) -> lower, T1 check -> lower, T0 lower, T1 lower returns to it: the
 * shortest cycle through the initial state is those 6 steps, both threads step in it (weakly fair),
 * and no shorter cycle exists (each thread must raise, check and lower).
 */
import { describe, expect, it } from 'vitest';
import { replayDecisions } from '../../src/engine/campaign.js';
import { resolveConfig } from '../../src/engine/config.js';
import { execute } from '../../src/engine/executor.js';
import { Instance } from '../../src/engine/instance.js';
import { replayScheduler } from '../../src/engine/schedulers/replay.js';
import { defaultSearchOptions, search } from '../../src/engine/search/index.js';
import type { SearchOptions, SearchResult } from '../../src/engine/search/types.js';
import type { AnyModel, Config } from '../../src/engine/types.js';
import { fingerprint } from '../../src/engine/value.js';
import { g1Corrected } from '../../src/models/almosManifest.js';
import { findModel, models } from '../../src/models/index.js';
import { idleModel, independent, spinFlag, toggler } from './livelockModels.js';

const instance = (m: AnyModel, config: Config = {}) => new Instance(m, resolveConfig(m, config));
const polite = (config: Config = {}) => instance(findModel('polite-backoff'), config);
const run = (i: Instance, o: Partial<SearchOptions> = {}) => search(i, { ...defaultSearchOptions, ...o });
const strategies: ReadonlyArray<[string, Partial<SearchOptions>]> = [
  ['bfs', { strategy: 'bfs' }],
  ['dfs', { strategy: 'dfs' }],
  ['dfs+por', { strategy: 'dfs', por: true }],
];
const verdict = (r: SearchResult) => (r.violation ? `violation:${r.violation.name}` : r.verdict);

/** The state after the first `picks` thread picks of `decisions` (their data choices included). */
function stateAfter(i: Instance, decisions: readonly number[], picks: number): string {
  let end = 0;
  for (let seen = 0; end < decisions.length; end++) {
    if ((decisions[end] as number) % 2 === 0 && seen++ === picks) break;
  }
  const prefix = decisions.slice(0, end);
  const e = execute(i, replayScheduler(prefix), 0, { maxSteps: picks, checkInvariants: false, trace: false });
  return fingerprint(e.state);
}

/** The found cycle is real: the state after the prefix recurs after prefix + cycle, and replay says so. */
function expectReplayableCycle(i: Instance, r: SearchResult): void {
  const cycle = r.violation?.cycle;
  expect(cycle).toBeDefined();
  if (cycle === undefined || r.decisions === null || r.cycleStart === null) return;
  const picks = r.decisions.filter((d) => d % 2 === 0).length;
  expect(picks).toBe(cycle.prefix + cycle.length);
  expect(r.decisions.slice(0, r.cycleStart).filter((d) => d % 2 === 0)).toHaveLength(cycle.prefix);
  expect(r.decisions[r.cycleStart] as number).toSatisfy((d: number) => d % 2 === 0);
  expect(stateAfter(i, r.decisions, cycle.prefix + cycle.length)).toBe(
    stateAfter(i, r.decisions, cycle.prefix),
  );
  const replayed = replayDecisions(i, r.decisions);
  expect(replayed.violation).toEqual(r.violation);
  expect(replayed.trace).toHaveLength(picks);
}

describe('a real livelock: polite-backoff', () => {
  it.each(strategies)('%s finds the weakly fair non-progress cycle, and it replays', (_name, o) => {
    const i = polite();
    const r = run(i, o);
    expect(r.violation).toMatchObject({ kind: 'livelock', name: 'livelock' });
    expect(r.violation?.message).toContain('(weakly fair)');
    expectReplayableCycle(i, r);
  });

  it('BFS reports the shortest cycle through the initial state: prefix 0, cycle 6, both threads', () => {
    const r = run(polite(), { strategy: 'bfs' });
    expect(r.violation?.cycle).toEqual({ prefix: 0, length: 6 });
    expect(r.cycleStart).toBe(0);
    expect(r.decisions).toEqual([0, 2, 0, 2, 0, 2]);
  });

  it('is found with more rounds too, and not with livelock off', () => {
    for (const rounds of [2, 3]) expect(verdict(run(polite({ rounds })))).toBe('violation:livelock');
    expect(run(polite(), { livelock: 'off' }).verdict).toBe('pass');
  });
});

describe("fairness: Dekker's turn starves only an enabled thread", () => {
  const dekker = () => polite({ dekker: true, rounds: 2 });

  it.each(strategies)('%s passes under weak fairness (the default)', (_name, o) => {
    const r = run(dekker(), o);
    expect(r.verdict).toBe('pass');
    expect(r.note).toBeNull();
  });

  it.each(strategies)('%s with livelock any reports the unfair spin, and it replays', (_name, o) => {
    const i = dekker();
    const r = run(i, { ...o, livelock: 'any' });
    expect(r.violation?.name).toBe('livelock');
    // T0 has the turn: it spins in `check` while T1, enabled at `lower`, never runs.
    expect(r.violation?.message).toContain('not weakly fair: T1 enabled throughout, never scheduled');
    expect(r.violation?.cycle).toEqual({ prefix: 2, length: 1 });
    expectReplayableCycle(i, r);
  });
});

describe('fairness: a spin wait on a flag that an enabled thread sets', () => {
  it.each(strategies)('%s: no livelock under weak fairness, a one-step cycle without it', (_name, o) => {
    const i = instance(spinFlag);
    expect(run(i, o).verdict).toBe('pass');
    const any = run(i, { ...o, livelock: 'any' });
    expect(any.violation?.cycle).toEqual({ prefix: 0, length: 1 });
    expect(any.violation?.message).toContain('not weakly fair: setter enabled throughout');
    expectReplayableCycle(i, any);
  });
});

describe('fairness: a thread disabled in some state of the cycle', () => {
  it.each(strategies)('%s reports the weakly fair cycle through a state where it is disabled', (_name, o) => {
    const i = instance(toggler);
    const r = run(i, o);
    expect(r.violation?.message).toContain('(weakly fair)');
    expectReplayableCycle(i, r);
    // The cycle visits a state where the waiter is disabled: it contains the toggler's raise.
    const cycle = (r.decisions as number[]).slice(r.cycleStart as number);
    expect(cycle).toContain(2);
  });
});

describe('the run is over when every non-daemon thread is done', () => {
  it.each(strategies)('%s: an idle daemon loop is no livelock, the same loop in a worker is', (_name, o) => {
    expect(run(instance(idleModel(true)), { ...o, livelock: 'any' }).verdict).toBe('pass');
    const i = instance(idleModel(false));
    const r = run(i, { ...o, livelock: 'any' });
    expect(r.violation?.cycle).toEqual({ prefix: 1, length: 1 });
    expectReplayableCycle(i, r);
  });
});

describe('no false livelock on terminating models', () => {
  const terminating = models.filter((m) => m.name !== 'almos' && m.name !== 'polite-backoff');

  it.each(terminating.map((m) => [m.name, m] as const))(
    '%s: every strategy agrees with livelock off',
    (_n, m) => {
      const i = instance(m);
      for (const [, o] of strategies) {
        const on = run(i, { ...o, livelock: 'any' });
        const off = run(i, { ...o, livelock: 'off' });
        expect(on.violation?.name).not.toBe('livelock');
        expect(verdict(on)).toBe(verdict(off));
      }
    },
  );

  // Built-in scenarios with RPC server daemons that loop on their FIFO (blocked when it is empty); the
  // documented fork violates noWritableSharing (finding F4), so it runs with the corrected knobs.
  it.each(['fork', 'shared-fault'])('almos %s: BFS and DFS+POR pass, every cycle checked', (scenario) => {
    const i = instance(findModel('almos'), { scenario, ...g1Corrected });
    for (const o of [{ strategy: 'bfs' }, { strategy: 'dfs', por: true }] as const) {
      const r = run(i, { ...o, livelock: 'any' });
      expect(r.verdict).toBe('pass');
    }
  });
});

describe('partial-order reduction and non-progress cycles', () => {
  it('a progress step is visible: POR keeps the non-progress cycle of the full graph', () => {
    const i = instance(independent);
    const full = run(i, { strategy: 'dfs', livelock: 'any' });
    const por = run(i, { strategy: 'dfs', por: true, livelock: 'any' });
    expect(full.violation?.name).toBe('livelock');
    expect(por.violation?.name).toBe('livelock');
    expect(por.violation?.message).toContain('not weakly fair: busy');
    expectReplayableCycle(i, por);
  });

  it('under weak fairness a reduced graph with unfair cycles only falls back to a full DFS, and says so', () => {
    const i = instance(independent);
    const full = run(i, { strategy: 'dfs' });
    const por = run(i, { strategy: 'dfs', por: true });
    expect(full.verdict).toBe('pass');
    expect(full.note).toBeNull();
    expect(por.verdict).toBe('pass');
    expect(por.states).toBe(full.states);
    expect(por.note).toMatch(/does not preserve weak fairness.*full DFS/);
  });
});

describe('cost and budgets', () => {
  it('the stored graph is counted in bytes per state, and livelock off stores none', () => {
    const i = instance(findModel('mutex-counter'), { threads: 4, increments: 2, work: 1 });
    const on = run(i, { strategy: 'bfs' });
    const off = run(i, { strategy: 'bfs', livelock: 'off' });
    expect(on.states).toBe(off.states);
    expect(on.bytesPerState).toBeGreaterThan(off.bytesPerState);
    expect(on.bytesPerState).toBeLessThanOrEqual(64);
  });

  it('a search stopped by its state budget still reports a cycle among the stored states', () => {
    const i = polite({ rounds: 3 });
    const full = run(i, { strategy: 'bfs' });
    const r = run(i, { strategy: 'bfs', maxStates: 30 });
    expect(r.states).toBeLessThan(full.states);
    expect(r.violation?.name).toBe('livelock');
    expectReplayableCycle(i, r);
  });

  it('a preemption-bounded search sees only the cycles that need no preemption', () => {
    // Around a cycle the preemption count cannot grow: polite-backoff's cycle preempts at every step,
    // so no bound shows it; spin-flag's spinner spins alone, a cycle with no preemption at all.
    for (const bound of [0, 6]) expect(run(polite(), { preemptionBound: bound }).verdict).toBe('pass');
    const i = instance(spinFlag);
    for (const strategy of ['bfs', 'dfs'] as const) {
      const r = run(i, { strategy, preemptionBound: 0, livelock: 'any' });
      expect(r.violation?.message).toContain('not weakly fair: setter');
      expectReplayableCycle(i, r);
    }
  });
});
