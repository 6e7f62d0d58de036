/**
 * polite-backoff: two threads enter a critical section `rounds` times with a flag each and no lock:
 * raise my flag; if the other's flag is up, lower mine and retry (back off politely). Mutual
 * exclusion holds (`mutualExclusion`: inCs <= 1), but when both raise, both see the other and both
 * back off, they can retry in lockstep forever with neither entering: a livelock (two people
 * stepping aside in a corridor; a lock-free retry loop under contention). Expected
 * `violation:livelock`: exhaustive search finds a weakly fair non-progress cycle (random schedulers
 * break the symmetry and complete).
 * With `dekker`, a thread backs off only when it is not its turn, waits for its turn, and passes the
 * turn on leaving (Dekker's algorithm, in E. W. Dijkstra, "Cooperating sequential processes", 1965).
 * The thread whose turn it is keeps its flag up and spins until the other lowers its flag: a cycle
 * without progress only if the other, enabled, never runs. It is not weakly fair, so the default
 * search passes, and `livelock: 'any'` (every non-progress cycle) reports it.
 * Entering the critical section is the progress step. Contract: `flag[t]` is thread t's flag, `turn`
 * the thread that may insist, `inCs` ghost state counting the threads inside.
 */
import { newThread } from '../../engine/instance.js';
import type { Access, Frame, Model, Procedure } from '../../engine/types.js';
import { ret } from '../../engine/types.js';

export interface PoliteBackoffShared {
  flag: boolean[];
  turn: number;
  inCs: number;
}
type Config = { rounds: number; dekker: boolean };

const me = (f: Frame) => f.locals.me as number;
const other = (f: Frame) => 1 - me(f);
const writeFlag = (f: Frame): readonly Access[] => [{ obj: `flag.${me(f)}`, write: true }];
const writeTurn: readonly Access[] = [{ obj: 'turn', write: true }];
const writeInCs: readonly Access[] = [{ obj: 'inCs', write: true }];

function enterProtocol(dekker: boolean): Procedure<PoliteBackoffShared> {
  return {
    name: dekker ? 'dekker' : 'polite',
    entry: 'raise',
    steps: {
      raise: {
        footprint: (_s, f) => writeFlag(f),
        run(s, f) {
          s.flag[me(f)] = true;
          return 'check';
        },
      },
      check: {
        footprint: (_s, f) => [
          { obj: `flag.${other(f)}`, write: false },
          { obj: 'turn', write: false },
        ],
        run(s, f) {
          if (!s.flag[other(f)]) return 'enterCs';
          // Dekker: the thread whose turn it is insists (spins, its flag up); the other backs off.
          return dekker && s.turn === me(f) ? 'check' : 'lower';
        },
      },
      lower: {
        footprint: (_s, f) => writeFlag(f),
        run(s, f) {
          s.flag[me(f)] = false;
          return dekker ? 'awaitTurn' : 'raise';
        },
      },
      awaitTurn: {
        footprint: () => [{ obj: 'turn', write: false }],
        guard: (s, f) => s.turn === me(f),
        run: () => 'raise',
      },
      enterCs: {
        progress: true,
        footprint: () => writeInCs,
        run(s) {
          s.inCs++;
          return 'exitCs';
        },
      },
      exitCs: {
        footprint: () => writeInCs,
        run(s) {
          s.inCs--;
          return dekker ? 'passTurn' : 'release';
        },
      },
      passTurn: {
        footprint: () => writeTurn,
        run(s, f) {
          s.turn = other(f);
          return 'release';
        },
      },
      release: {
        footprint: (_s, f) => writeFlag(f),
        run(s, f) {
          s.flag[me(f)] = false;
          f.locals.round = (f.locals.round as number) + 1;
          return (f.locals.round as number) < (f.locals.rounds as number) ? 'raise' : ret();
        },
      },
    },
  };
}

const polite = enterProtocol(false);
const dekker = enterProtocol(true);

export const politeBackoff: Model<PoliteBackoffShared, Config> = {
  name: 'polite-backoff',
  summary: 'two threads back off when both want the critical section (bug: livelock)',
  params: {
    rounds: { type: 'int', min: 1, max: 3, doc: 'critical sections per thread' },
    dekker: { type: 'bool', doc: "back off only when it is not my turn (Dekker's algorithm: the fix)" },
  },
  defaultConfig: { rounds: 1, dekker: false },
  init: (c) => ({
    shared: { flag: [false, false], turn: 0, inCs: 0 },
    threads: [0, 1].map((i) =>
      newThread(i, `T${i}`, c.dekker ? dekker : polite, { me: i, round: 0, rounds: c.rounds }),
    ),
  }),
  procedures: { polite, dekker },
  invariants: () => [
    {
      name: 'mutualExclusion',
      when: 'step',
      reads: ['inCs'],
      check: (st) => (st.shared.inCs <= 1 ? null : `${st.shared.inCs} threads in the critical section`),
    },
  ],
  mayAccess: (st, tid) =>
    st.threads[tid]?.stack.length
      ? [
          { obj: `flag.${tid}`, write: true },
          { obj: `flag.${1 - tid}`, write: false },
          ...writeTurn,
          ...writeInCs,
        ]
      : [],
};
