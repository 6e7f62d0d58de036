/**
 * removeVseg as the corrected munmap runs it in each copy (knob `munmapProtocol = detachFirst`,
 * vsegDeleting.ts; the documented removeVseg resets PTEs with no lock: docs/findings.md M1/M2).
 * Runs in the cluster K of the copy. Locals in: `pid`, `base`. Returns null.
 * G1: write-lock gpt(R), then gpt(K) when K != R (order R then K, as the page faults take them: the
 * true fault stores the local entry holding only gpt(R), the false fault stores it under gpt(K)), run
 * removeVseg(locked) — scan, reset, release, detach — then unlock gpt(K) and gpt(R).
 * G2: removeVseg(locked) locks each PTE before resetting it (no GPT-wide lock exists).
 * A fault racing the clearing either re-checked the vseg before munmap marked it and holds the lock
 * the clearing waits for (its entry is then reset), or re-checks after and maps nothing.
 */
import type { Frame, Procedure } from '../../../engine/types.js';
import { call, ret } from '../../../engine/types.js';
import type { AlmosShared } from '../state.js';
import { gptLockPath, here, proc } from '../util.js';

/** Locals: `pid`, `base` in. */
type Locals = { pid: number; base: number };
type P = Procedure<AlmosShared, Locals>;
type F = Frame<Locals>;

const pid = (f: F) => f.locals.pid;
const refOf = (s: AlmosShared, f: F) => proc(s, pid(f)).ref;
const args = (f: F) => ({ pid: pid(f), base: f.locals.base, locked: true });

export const removeVsegLocked: P = {
  name: 'removeVsegLocked',
  entry: 'lockRefGpt',
  steps: {
    lockRefGpt: {
      footprint: () => [],
      run(s, f) {
        if (s.knobs.generation === 'G2') return call('removeVseg', args(f), 'done');
        return call('remoteRwlockWrAcquire', { lock: gptLockPath(pid(f), refOf(s, f)) }, 'lockLocalGpt');
      },
    },
    lockLocalGpt: {
      footprint: () => [],
      run(s, f, ctx) {
        if (here(s, ctx) === refOf(s, f)) return call('removeVseg', args(f), 'unlockRefGpt');
        return call('remoteRwlockWrAcquire', { lock: gptLockPath(pid(f), here(s, ctx)) }, 'remove');
      },
    },
    remove: {
      footprint: () => [],
      run: (_s, f) => call('removeVseg', args(f), 'unlockLocalGpt'),
    },
    unlockLocalGpt: {
      footprint: () => [],
      run: (s, f, ctx) =>
        call('remoteRwlockWrRelease', { lock: gptLockPath(pid(f), here(s, ctx)) }, 'unlockRefGpt'),
    },
    unlockRefGpt: {
      footprint: () => [],
      run: (s, f) => call('remoteRwlockWrRelease', { lock: gptLockPath(pid(f), refOf(s, f)) }, 'done'),
    },
    done: { footprint: () => [], run: () => ret(null) },
  },
};
