/**
 * The tail of handleCow under the corrected knob `cowProtocol = 'decrementAfterUpdate'` (G1 and G2; not
 * in the kernel: a correction of the documented step 3, shared/spec/almos-mkh.md "handleCow").
 * Documented, `forks` is decremented under the page busylock before the PTE update (and in G2 before
 * the copy): another holder then reads forks == 0 and makes the page writable in place while this
 * process still maps it. Corrected, handleCow only READS forks under the busylock to decide (copy if
 * forks > 0, else reuse), copies and updates its PTE(s) without the busylock, and only then — when
 * this process no longer maps the old page — settles the count here:
 * 1. take the old page's busylock;
 * 2. forks > 0: decrement it (the other holders keep the page); forks == 0: every other holder went
 *    away meanwhile (their own COW or removeVseg saw forks > 0 and left the page to us): the old page
 *    has no holder left, it is ours to free ("last one out frees");
 * 3. release the busylock;
 * 4. free the page if step 2 said so (G1: maybe RPC_PMEM_RELEASE_PAGES — no busylock held).
 * Locals in: `oldPpn` (the page the caller stopped mapping, held by this thread since its update:
 * ghost.ts `cowOld`; keeping the page releases the hold, the free drops it). A free page here is an
 * assertion of the correction, recorded for noKernelPanic. Returns null. Called only on the copy path
 * (forks > 0 was read).
 */
import type { Frame, Procedure } from '../../../engine/types.js';
import { call, ret } from '../../../engine/types.js';
import { heldPath, kernelPanic, panicFootprint, release } from '../ghost.js';
import type { AlmosShared, PageDesc } from '../state.js';
import { r, w } from '../util.js';

/** Locals: `oldPpn` in; `lastOut` (no other holder was left: free the page). */
type Locals = { oldPpn: number; lastOut: boolean };
type P = Procedure<AlmosShared, Locals>;
type F = Frame<Locals>;

const oldPpn = (f: F) => f.locals.oldPpn;
const lock = (f: F) => `page.${oldPpn(f)}.lock`;

export const cowReleaseOld: P = {
  name: 'cowReleaseOld',
  entry: 'lockPage',
  steps: {
    lockPage: {
      footprint: () => [],
      run: (_s, f) => call('busylockAcquire', { lock: lock(f) }, 'settleForks'),
    },
    settleForks: {
      footprint: (s, f) => {
        const page = s.page[oldPpn(f)] as PageDesc;
        return [
          r(`page.${oldPpn(f)}.free`),
          w(`page.${oldPpn(f)}.forks`),
          ...(page.forks > 0 ? [w(heldPath(oldPpn(f)))] : []),
          ...panicFootprint(page.free),
        ];
      },
      run(s, f, ctx) {
        const page = s.page[oldPpn(f)] as PageDesc;
        if (page.free) kernelPanic(s, `cowReleaseOld: page ${oldPpn(f)} was freed under a holder`);
        f.locals.lastOut = page.forks === 0;
        if (page.forks > 0) {
          page.forks--;
          release(s, oldPpn(f), ctx.tid);
        }
        return call('busylockRelease', { lock: lock(f) }, 'freePage');
      },
    },
    freePage: {
      footprint: () => [],
      run(_s, f) {
        if (!f.locals.lastOut) return ret();
        return call('ppmFreePage', { ppn: oldPpn(f) }, 'done');
      },
    },
    done: { footprint: () => [], run: () => ret() },
  },
};
