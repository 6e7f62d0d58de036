/**
 * peterson / peterson-broken: Peterson's mutual exclusion for two threads (G. L. Peterson, "Myths
 * about the mutual exclusion problem", IPL 12(3), 1981), each entering the critical section `rounds`
 * times. Entry: `flag[me] = true; turn = other; await !flag[other] || turn == me`. Exit:
 * `flag[me] = false`. `inCs` is ghost state counting the threads inside the critical section.
 * Contract: `peterson` keeps the per-step invariant `mutualExclusion` (inCs <= 1); `peterson-broken`
 * sets `turn` before `flag` (the classic wrong ordering) and both threads can enter: expected
 * `violation:mutualExclusion`.
 */
import { newThread } from '../../engine/instance.js';
import type { Access, Frame, Model, Procedure } from '../../engine/types.js';
import { ret } from '../../engine/types.js';

export interface PetersonShared {
  flag: boolean[];
  turn: number;
  inCs: number;
}
type Config = { rounds: number };

const me = (f: Frame) => f.locals.me as number;
const other = (f: Frame) => 1 - me(f);
const writeTurn: readonly Access[] = [{ obj: 'turn', write: true }];
const writeInCs: readonly Access[] = [{ obj: 'inCs', write: true }];
const writeFlag = (f: Frame): readonly Access[] => [{ obj: `flag.${me(f)}`, write: true }];

/** `turnFirst` is the broken ordering: the thread announces `turn` before raising its flag. */
function entryProtocol(turnFirst: boolean): Procedure<PetersonShared> {
  const entry = turnFirst ? 'setTurn' : 'setFlag';
  return {
    name: 'peterson',
    entry,
    steps: {
      setFlag: {
        footprint: (_s, f) => writeFlag(f),
        run(s, f) {
          s.flag[me(f)] = true;
          return turnFirst ? 'await' : 'setTurn';
        },
      },
      setTurn: {
        footprint: () => writeTurn,
        run(s, f) {
          s.turn = other(f);
          return turnFirst ? 'setFlag' : 'await';
        },
      },
      await: {
        footprint: (_s, f) => [
          { obj: `flag.${other(f)}`, write: false },
          { obj: 'turn', write: false },
        ],
        guard: (s, f) => !s.flag[other(f)] || s.turn === me(f),
        run: () => 'enterCs',
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
          return 'clearFlag';
        },
      },
      clearFlag: {
        footprint: (_s, f) => writeFlag(f),
        run(s, f) {
          s.flag[me(f)] = false;
          f.locals.round = (f.locals.round as number) + 1;
          return (f.locals.round as number) < (f.locals.rounds as number) ? entry : ret();
        },
      },
    },
  };
}

function petersonModel(name: string, turnFirst: boolean): Model<PetersonShared, Config> {
  const proc = entryProtocol(turnFirst);
  return {
    name,
    summary: turnFirst
      ? "Peterson's lock with turn set before flag (bug: both threads enter)"
      : "Peterson's two-thread mutual exclusion (correct)",
    params: { rounds: { type: 'int', min: 1, max: 3, doc: 'critical sections per thread' } },
    defaultConfig: { rounds: 1 },
    init: (c) => ({
      shared: { flag: [false, false], turn: 0, inCs: 0 },
      threads: [0, 1].map((i) => newThread(i, `T${i}`, proc, { me: i, round: 0, rounds: c.rounds })),
    }),
    procedures: { peterson: proc },
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
}

export const peterson = petersonModel('peterson', false);
export const petersonBroken = petersonModel('peterson-broken', true);
