/**
 * mutex-counter: lost-update's increment (`v = x; x = v + 1`) made atomic by a spinlock. `lock` is an
 * await (the thread is not enabled while another holds the lock), so no update can be lost: the
 * quiescent invariant `noLostUpdate` (counter == threads * increments) holds, and the per-step
 * invariant `mutualExclusion` (at most one thread between `lock` and `unlock`) holds in every state.
 * Contract: `lock` is -1 when free, else the holder's thread id; `inside` is ghost state counting the
 * threads between `lock` and `unlock`. Expected outcome: pass.
 */
import { newThread } from '../../engine/instance.js';
import type { Access, Frame, Model, Procedure } from '../../engine/types.js';
import { ret } from '../../engine/types.js';

export interface MutexCounterShared {
  lock: number;
  counter: number;
  inside: number;
}
type Config = { threads: number; increments: number; work: number };

const lockFree = -1;
const takeLock: readonly Access[] = [
  { obj: 'lock', write: true },
  { obj: 'inside', write: true },
];
const readCounter: readonly Access[] = [{ obj: 'counter', write: false }];
const writeCounter: readonly Access[] = [{ obj: 'counter', write: true }];
const everything: readonly Access[] = [...takeLock, ...writeCounter];

const firstStep = (works: number) => (works > 0 ? 'work' : 'lock');

const increment: Procedure<MutexCounterShared> = {
  name: 'increment',
  entry: 'work',
  steps: {
    // Thread-private work before each critical section (touches only locals: the steps that
    // partial-order reduction does not interleave).
    work: {
      footprint: () => [],
      run(_s, f) {
        f.locals.w = (f.locals.w as number) + 1;
        return (f.locals.w as number) < (f.locals.works as number) ? 'work' : 'lock';
      },
    },
    lock: {
      footprint: () => takeLock,
      guard: (s) => s.lock === lockFree,
      run(s, f, ctx) {
        s.lock = ctx.tid;
        s.inside++;
        f.locals.w = 0;
        return 'load';
      },
    },
    load: {
      footprint: () => readCounter,
      run(s, f) {
        f.locals.v = s.counter;
        return 'store';
      },
    },
    store: {
      progress: true,
      footprint: () => writeCounter,
      run(s, f) {
        s.counter = (f.locals.v as number) + 1;
        return 'unlock';
      },
    },
    unlock: {
      footprint: () => takeLock,
      run(s, f, ctx) {
        if (s.lock !== ctx.tid) ctx.fail(`unlock: lock held by ${s.lock}, not by T${ctx.tid}`);
        s.lock = lockFree;
        s.inside--;
        f.locals.i = (f.locals.i as number) + 1;
        return (f.locals.i as number) < (f.locals.n as number) ? firstStep(f.locals.works as number) : ret();
      },
    },
  },
};

export const mutexCounter: Model<MutexCounterShared, Config> = {
  name: 'mutex-counter',
  summary: 'N threads increment a counter under a spinlock (correct: no lost update)',
  params: {
    threads: { type: 'int', min: 1, max: 6, doc: 'number of incrementing threads' },
    increments: { type: 'int', min: 1, max: 4, doc: 'increments per thread' },
    work: { type: 'int', min: 0, max: 6, doc: 'thread-private steps before each lock' },
  },
  defaultConfig: { threads: 2, increments: 1, work: 0 },
  init: (c) => ({
    shared: { lock: lockFree, counter: 0, inside: 0 },
    threads: Array.from({ length: c.threads }, (_, i) => {
      const t = newThread(i, `T${i}`, increment, { i: 0, n: c.increments, v: 0, w: 0, works: c.work });
      (t.stack[0] as Frame).pc = firstStep(c.work);
      return t;
    }),
  }),
  procedures: { increment },
  invariants: (c) => [
    {
      name: 'mutualExclusion',
      when: 'step',
      reads: ['inside'],
      check: (st) => (st.shared.inside <= 1 ? null : `${st.shared.inside} threads hold the lock`),
    },
    {
      name: 'noLostUpdate',
      when: 'quiescent',
      reads: ['counter'],
      check: (st) => {
        const expected = c.threads * c.increments;
        return st.shared.counter === expected ? null : `counter = ${st.shared.counter}, expected ${expected}`;
      },
    },
  ],
  mayAccess: (st, tid) => (st.threads[tid]?.stack.length ? everything : []),
};
