/**
 * Correction, knob `cowProtocol = 'decrementAfterUpdate'` (not in the kernel; docs/findings.md C1-C5):
 * documented, handleCow decrements `forks` under the page busylock before the PTE update (and in G2
 * before the copy): another holder then reads forks == 0 and makes the page writable in place while
 * this process still maps it. Corrected, step 3 only READS forks under the busylock to decide (copy
 * if forks > 0, else reuse) and releases it; the allocation (no busylock held: in G1 an RPC is then
 * allowed), the copy and the update (step 5) follow; then, on the copy path, `cowReleaseOld`
 * (cowReleaseOld.ts) decrements forks or frees the old page ("last one out frees"), before the lock
 * on G is released. ENOMEM then has nothing to undo. From step 5 on that copy path the thread holds
 * the old page (ghost.ts `cowOld`): once every copy maps the new page, the old one may be mapped by no
 * GPT until cowReleaseOld keeps or frees it.
 */
import type { Procedure, Step } from '../../../engine/types.js';
import { call } from '../../../engine/types.js';
import type { CowFrame, CowLocals } from '../cowLocals.js';
import { heldPath, hold } from '../ghost.js';
import type { AlmosShared, PageDesc, Vseg } from '../state.js';
import { here, placement, w } from '../util.js';
import { type Correction, continuingAt, stepOf } from './correction.js';
import { cowReleaseOld } from './cowReleaseOld.js';

type P = Procedure<AlmosShared, CowLocals>;
const copied = (f: CowFrame) => f.locals.ppn !== f.locals.old.ppn;
/** After step 5 on the copy path, settle the old page's forks before going on at `next`. */
const settlingBefore = (next: string) => (_s: AlmosShared, f: CowFrame) =>
  copied(f) ? { [next]: 'settle' } : {};
/** Step 5 on the copy path: the thread holds the old page first, until cowReleaseOld settles it. */
const holdingOld = (step: Step<AlmosShared, CowLocals>): Step<AlmosShared, CowLocals> => ({
  ...step,
  footprint: (s, f, ctx) => [
    ...(copied(f) ? [w(heldPath(f.locals.old.ppn))] : []),
    ...(step.footprint?.(s, f, ctx) ?? []),
  ],
  run(s, f, ctx) {
    if (copied(f)) hold(s, f.locals.old.ppn, ctx.tid, 'cowOld');
    return step.run(s, f, ctx);
  },
});
const settle = (next: string) => ({
  footprint: () => [],
  run: (_s: AlmosShared, f: CowFrame) => call('cowReleaseOld', { oldPpn: f.locals.old.ppn }, next),
});

/** handleCow (G1): read forks, release the busylock, then allocate and copy; settle after the update. */
function decrementingAfterUpdate(base: P): P {
  return {
    ...base,
    steps: {
      ...base.steps,
      readForks: {
        ...stepOf(base, 'readForks'),
        run(s, f) {
          f.locals.forks = (s.page[f.locals.old.ppn] as PageDesc).forks;
          return call('busylockRelease', { lock: `page.${f.locals.old.ppn}.lock` }, 'allocate');
        },
      },
      /** The decision is taken, the busylock released. */
      allocate: {
        footprint: () => [],
        run(s, f, ctx) {
          if (f.locals.forks === 0) {
            f.locals.ppn = f.locals.old.ppn;
            return 'update';
          }
          const cxy = placement(s, f.locals.vseg as Vseg, f.locals.vpn, here(s, ctx));
          return call('ppmAllocPage', { cxy }, 'allocated', 'ppn');
        },
      },
      /** ENOMEM: no busylock to release. */
      allocated: {
        ...stepOf(base, 'allocated'),
        run(_s, f) {
          if (f.locals.ppn >= 0) return 'copyPage';
          f.locals.result = 'ENOMEM';
          return 'unlockGpt';
        },
      },
      copyPage: continuingAt(stepOf(base, 'copyPage'), () => ({ decForks: 'update' })),
      update: continuingAt(holdingOld(stepOf(base, 'update')), settlingBefore('unlockGpt')),
      setPte: continuingAt(stepOf(base, 'setPte'), settlingBefore('unlockGpt')),
      /** Copy path: the old page is no longer mapped here; settle its forks. */
      settle: settle('unlockGpt'),
    },
  };
}

/** handleCowG2: read forks without decrementing them; settle after the update. */
function decrementingAfterUpdateG2(base: P): P {
  return {
    ...base,
    steps: {
      ...base.steps,
      readForks: continuingAt(stepOf(base, 'readForks'), () => ({ decForks: 'unlockPage' })),
      update: continuingAt(holdingOld(stepOf(base, 'update')), settlingBefore('done')),
      setPte: continuingAt(stepOf(base, 'setPte'), settlingBefore('done')),
      /** Copy path: the old page is no longer mapped here; settle its forks. */
      settle: settle('done'),
    },
  };
}

export const cowDecrementAfterUpdate: Correction = {
  selected: (k) => k.cowProtocol === 'decrementAfterUpdate',
  procedures: { handleCow: decrementingAfterUpdate, handleCowG2: decrementingAfterUpdateG2 },
  adds: [cowReleaseOld],
};
