/**
 * Portfolio: several schedulers taking turns, run r going to member r mod n (each member sees its
 * own run numbers 0, 1, 2...). Spreads a budget over strategies with different strengths.
 */
import type { Scheduler } from '../scheduler.js';

export function portfolioScheduler(members: readonly Scheduler[]): Scheduler {
  if (members.length === 0) throw new Error('portfolio: no member scheduler');
  let current = members[0] as Scheduler;
  return {
    get name() {
      return `portfolio:${current.name}`;
    },
    begin(run) {
      current = members[run % members.length] as Scheduler;
      current.begin(Math.floor(run / members.length));
    },
    pickThread(enabled, cur, step) {
      return current.pickThread(enabled, cur, step);
    },
    pickData(arity, what, tid) {
      return current.pickData(arity, what, tid);
    },
    end(steps) {
      current.end(steps);
    },
  };
}
