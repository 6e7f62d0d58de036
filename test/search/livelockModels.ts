/**
 * Small inline models for the livelock tests (livelock.test.ts), each showing one case of the
 * non-progress cycle check: a spin wait on a flag an enabled thread sets (unfair only), a thread
 * enabled only intermittently (weakly fair), a daemon looping once its client is done (idle), and a
 * progress loop beside an independent non-progress loop (partial-order reduction).
 */
import { newDaemon, newThread } from '../../src/engine/instance.js';
import type { Config, Model, Procedure } from '../../src/engine/types.js';
import { ret } from '../../src/engine/types.js';

// spin-flag: T0 busy-waits (no guard) for a flag that T1, always enabled until it runs, sets.
type FlagShared = { flag: boolean; done: number };
const spinWait: Procedure<FlagShared> = {
  name: 'spinWait',
  entry: 'spin',
  steps: {
    spin: { footprint: () => [{ obj: 'flag', write: false }], run: (s) => (s.flag ? 'leave' : 'spin') },
    leave: {
      progress: true,
      footprint: () => [{ obj: 'done', write: true }],
      run(s) {
        s.done++;
        return ret();
      },
    },
  },
};
const setFlag: Procedure<FlagShared> = {
  name: 'setFlag',
  entry: 'set',
  steps: {
    set: {
      footprint: () => [{ obj: 'flag', write: true }],
      run(s) {
        s.flag = true;
        return ret();
      },
    },
  },
};
export const spinFlag: Model<FlagShared, Config> = {
  name: 'spin-flag',
  summary: 'a spin wait on a flag set by an enabled thread',
  params: {},
  defaultConfig: {},
  init: () => ({
    shared: { flag: false, done: 0 },
    threads: [newThread(0, 'spinner', spinWait), newThread(1, 'setter', setFlag)],
  }),
  procedures: { spinWait, setFlag },
  invariants: () => [],
  mayAccess: () => [
    { obj: 'flag', write: true },
    { obj: 'done', write: true },
  ],
};

// A thread that is disabled infinitely often does not make a cycle unfair: T0 awaits a lowered flag,
// T1 raises and lowers it forever (weakly fair; only strong fairness would exclude it).
type ToggleShared = { flag: boolean; entered: number };
const awaitLowered: Procedure<ToggleShared> = {
  name: 'awaitLowered',
  entry: 'enter',
  steps: {
    enter: {
      progress: true,
      footprint: () => [
        { obj: 'flag', write: false },
        { obj: 'entered', write: true },
      ],
      guard: (s) => !s.flag,
      run(s) {
        s.entered++;
        return ret();
      },
    },
  },
};
const toggle: Procedure<ToggleShared> = {
  name: 'toggle',
  entry: 'raise',
  steps: {
    raise: {
      footprint: () => [{ obj: 'flag', write: true }],
      run(s) {
        s.flag = true;
        return 'lower';
      },
    },
    lower: {
      footprint: () => [{ obj: 'flag', write: true }],
      run(s) {
        s.flag = false;
        return 'raise';
      },
    },
  },
};
export const toggler: Model<ToggleShared, Config> = {
  name: 'toggler',
  summary: 'a thread enabled only intermittently',
  params: {},
  defaultConfig: {},
  init: () => ({
    shared: { flag: false, entered: 0 },
    threads: [newThread(0, 'waiter', awaitLowered), newThread(1, 'toggler', toggle)],
  }),
  procedures: { awaitLowered, toggle },
  invariants: () => [],
  mayAccess: (st, tid) =>
    tid === 0
      ? st.threads[0]?.stack.length
        ? [
            { obj: 'flag', write: false },
            { obj: 'entered', write: true },
          ]
        : []
      : [{ obj: 'flag', write: true }],
};

// An idle daemon: once the client is done, the server is enabled and loops forever.
type IdleShared = { started: boolean; polls: number };
const client: Procedure<IdleShared> = {
  name: 'client',
  entry: 'start',
  steps: {
    start: {
      footprint: () => [{ obj: 'started', write: true }],
      run(s) {
        s.started = true;
        return ret();
      },
    },
  },
};
const server: Procedure<IdleShared> = {
  name: 'server',
  entry: 'poll',
  steps: {
    poll: {
      footprint: () => [{ obj: 'started', write: false }],
      guard: (s) => s.started,
      run: () => 'poll',
    },
  },
};
export function idleModel(daemon: boolean): Model<IdleShared, Config> {
  return {
    name: 'idle-server',
    summary: 'a server polling after its only client finished',
    params: {},
    defaultConfig: {},
    init: () => ({
      shared: { started: false, polls: 0 },
      threads: [
        newThread(0, 'client', client),
        daemon ? newDaemon(1, 'server', server) : newThread(1, 'server', server),
      ],
    }),
    procedures: { client, server },
    invariants: () => [],
  };
}

// Two independent threads: T0 loops through two progress steps, T1 through two non-progress ones.
// The only non-progress cycles are T1's alone, which starve T0 (always enabled).
type Pcs = Record<string, never>;
const loop = (name: string, progress: boolean): Procedure<Pcs> => ({
  name,
  entry: 'a',
  steps: {
    a: { ...(progress ? { progress: true as const } : {}), footprint: () => [], run: () => 'b' },
    b: { ...(progress ? { progress: true as const } : {}), footprint: () => [], run: () => 'a' },
  },
});
const busy = loop('busy', true);
const idle = loop('idle', false);
export const independent: Model<Pcs, Config> = {
  name: 'independent-loops',
  summary: 'a progress loop beside a non-progress loop, no shared state',
  params: {},
  defaultConfig: {},
  init: () => ({ shared: {}, threads: [newThread(0, 'busy', busy), newThread(1, 'idle', idle)] }),
  procedures: { busy, idle },
  invariants: () => [],
  mayAccess: () => [],
};
