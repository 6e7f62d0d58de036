/**
 * Deliberately broken page fault handlers (G1 `handlePageFault`, one G2 `handlePageFaultG2`) and
 * removeVseg variants, each breaking exactly one ALMOS invariant, for test/almos/invariants.test.ts
 * and noKernelPanic.test.ts. A variant patches steps of
 * the real procedure (same locals contract) and keeps footprints honest: traced runs validate them and
 * the exhaustive search copies state along them.
 */
import type { Procedure, Step, StepResult } from '../../src/engine/types.js';
import { call, ret } from '../../src/engine/types.js';
import { PTE } from '../../src/hw/pte.js';
import { addPending, heldPath, pendingPath, release } from '../../src/models/almos/ghost.js';
import { setPte, setPteFootprint, vsegAttr } from '../../src/models/almos/gpt.js';
import { handlePageFault } from '../../src/models/almos/pageFault.js';
import { handlePageFaultG2 } from '../../src/models/almos/pageFaultG2.js';
import { removeVseg } from '../../src/models/almos/removeVseg.js';
import type { AlmosShared, PageDesc, Vseg } from '../../src/models/almos/state.js';
import { copyIn, gptLockPath, here, proc, ptePath, r, vslLockPath, w } from '../../src/models/almos/util.js';

type P = Procedure<AlmosShared>;
type S = Step<AlmosShared>;
type F = Parameters<S['run']>[1];
type Ctx = Parameters<S['run']>[2];

const pid = (f: F) => f.locals.pid as number;
const vpn = (f: F) => f.locals.vpn as number;
const ppn = (f: F) => f.locals.ppn as number;
const vseg = (f: F) => f.locals.vseg as unknown as Vseg;
const refOf = (s: AlmosShared, f: F) => proc(s, pid(f)).ref;
const ppnHomeOf = (s: AlmosShared, p: number) => Math.floor(p / s.framesPerCluster);

function stepOf(base: P, label: string): S {
  const step = base.steps[label];
  if (step === undefined) throw new Error(`no step ${base.name}.${label}`);
  return step;
}

/** `base` with some steps replaced or added (and optionally another entry). */
function patched(base: P, steps: { [label: string]: S }, entry = base.entry): P {
  return { ...base, entry, steps: { ...base.steps, ...steps } };
}

/** The step `label` of `base`, then `extra` (mutations covered by the original footprint + `more`). */
function after(
  base: P,
  label: string,
  extra: (s: AlmosShared, f: F, ctx: Ctx) => StepResult | undefined,
  more: S['footprint'] = () => [],
): S {
  const step = stepOf(base, label);
  return {
    footprint: (s, f, tid) => [...(step.footprint?.(s, f, tid) ?? []), ...(more?.(s, f, tid) ?? [])],
    run(s, f, ctx) {
      const result = step.run(s, f, ctx);
      return extra(s, f, ctx) ?? result;
    },
  };
}

const pf = handlePageFault;

/** copyCoherence: the local copy of a public PTE loses CACHABLE. */
export const nonCachableCopy: P = patched(pf, {
  trueSetLocal: after(pf, 'trueSetLocal', (s, f, ctx) => {
    const pte = copyIn(s, pid(f), here(s, ctx)).gpt[vpn(f)];
    if (here(s, ctx) !== refOf(s, f) && pte) pte.attr &= ~PTE.CACHABLE;
    return undefined;
  }),
});

/** copySubsetOfReference: a true fault from a non-reference cluster maps only the local copy. */
export const localOnlyTrueFault: P = patched(pf, {
  trueSetRef: {
    footprint: stepOf(pf, 'trueSetRef').footprint,
    run(s, f, ctx) {
      if (here(s, ctx) === refOf(s, f)) return stepOf(pf, 'trueSetRef').run(s, f, ctx);
      return 'trueSetLocal';
    },
  },
});

/** privateLocality: private pages (CODE replicas, stacks) allocated in the reference cluster. */
export const privateInReference: P = patched(pf, {
  privRead: {
    footprint: stepOf(pf, 'privRead').footprint,
    run(s, f, ctx) {
      const result = stepOf(pf, 'privRead').run(s, f, ctx);
      if (typeof result !== 'object' || result.k !== 'call') return result;
      return call(result.proc, { cxy: refOf(s, f) }, result.ret, result.into);
    },
  },
});

/** privateLocality: a STACK PTE also set in the reference GPT. */
export const stackInReference: P = patched(pf, {
  privSet: after(
    pf,
    'privSet',
    (s, f, ctx) => {
      if (vseg(f).type === 'STACK' && here(s, ctx) !== refOf(s, f))
        setPte(s, pid(f), refOf(s, f), vpn(f), { attr: vsegAttr(vseg(f)), ppn: ppn(f) });
      return undefined;
    },
    (s, f) => setPteFootprint(pid(f), refOf(s, f), vpn(f), ppn(f)),
  ),
});

/** placement: a true fault allocates in the faulting cluster instead of target(vpn). */
export const allocHere: P = patched(pf, {
  trueReread: {
    footprint: stepOf(pf, 'trueReread').footprint,
    run(s, f, ctx) {
      const result = stepOf(pf, 'trueReread').run(s, f, ctx);
      if (typeof result !== 'object' || result.k !== 'call') return result;
      return call(result.proc, { cxy: here(s, ctx) }, result.ret, result.into);
    },
  },
});

/** forksAccounting: a freshly mapped page gets forks = 1 (one holder). */
export const forksOnFault: P = patched(pf, {
  trueSetRef: after(pf, 'trueSetRef', (s, f) => {
    (s.page[ppn(f)] as PageDesc).forks = 1;
    return undefined;
  }),
});

/** noWritableSharing: process 1 maps process 0's page at the same vpn, writable, instead of allocating. */
export const borrowOtherProcessPage: P = patched(pf, {
  trueReread: {
    footprint: (s, f, tid) => [
      ...(stepOf(pf, 'trueReread').footprint?.(s, f, tid) ?? []),
      r(ptePath(0, proc(s, 0).ref, vpn(f))),
    ],
    run(s, f, ctx) {
      const own = copyIn(s, pid(f), refOf(s, f)).gpt[vpn(f)];
      const other = copyIn(s, 0, proc(s, 0).ref).gpt[vpn(f)];
      if (pid(f) === 0 || own !== undefined || other === undefined)
        return stepOf(pf, 'trueReread').run(s, f, ctx);
      f.locals.ppn = other.ppn;
      return 'trueSetRef';
    },
  },
});

/** cowExcludesWritable: the reference PTE is set WRITABLE|COW. */
export const writableCow: P = patched(pf, {
  trueSetRef: after(pf, 'trueSetRef', (s, f) => {
    const pte = copyIn(s, pid(f), refOf(s, f)).gpt[vpn(f)];
    if (pte) pte.attr |= PTE.COW;
    return undefined;
  }),
});

/** cowExcludesWritable, G2: set_pte of the local entry with WRITABLE|COW. */
export const writableCowG2: P = patched(handlePageFaultG2, {
  setLocal: after(handlePageFaultG2, 'setLocal', (s, f, ctx) => {
    const pte = copyIn(s, pid(f), here(s, ctx)).gpt[vpn(f)];
    if (pte) pte.attr |= PTE.COW;
    return undefined;
  }),
});

/** noUseAfterFree: the true fault frees the page it has just mapped. */
export const freeWhileMapped: P = patched(pf, {
  trueSetLocal: after(pf, 'trueSetLocal', (_s, f) => call('ppmFreePage', { ppn: ppn(f) }, 'trueUnlock')),
});

/** noUseAfterFree (leak): the true fault allocates twice and drops the first page. */
export const allocTwice: P = patched(pf, {
  trueAllocated: {
    footprint: () => [],
    run(s, f, ctx) {
      if (ppn(f) < 0 || f.locals.again === true) return stepOf(pf, 'trueAllocated').run(s, f, ctx);
      f.locals.again = true;
      return call('ppmAllocPage', { cxy: ppnHomeOf(s, ppn(f)) }, 'trueAllocated', 'ppn');
    },
  },
});

/** mappingsInsideVsegs: the local copy also maps vpn + 1 (outside a 2-page vseg at its end). */
export const mapNextPage: P = patched(pf, {
  trueSetLocal: after(
    pf,
    'trueSetLocal',
    (s, f, ctx) => {
      setPte(s, pid(f), here(s, ctx), vpn(f) + 1, { attr: vsegAttr(vseg(f)), ppn: ppn(f) });
      return undefined;
    },
    (s, f, ctx) => setPteFootprint(pid(f), here(s, ctx), vpn(f) + 1, ppn(f)),
  ),
});

/** lockDiscipline: takes the busylock of the faulting cluster's first page across the allocation (an RPC). */
export const busylockAcrossRpc: P = patched(pf, {
  trueReread: {
    footprint: stepOf(pf, 'trueReread').footprint,
    run(s, f, ctx) {
      const result = stepOf(pf, 'trueReread').run(s, f, ctx);
      if (typeof result !== 'object' || result.k !== 'call') return result;
      f.locals.alloc = result.args.cxy as number;
      return call(
        'busylockAcquire',
        { lock: `page.${here(s, ctx) * s.framesPerCluster}.lock` },
        'lockedAlloc',
      );
    },
  },
  lockedAlloc: {
    footprint: () => [],
    run: (_s, f) => call('ppmAllocPage', { cxy: f.locals.alloc as number }, 'unlockAfterAlloc', 'ppn'),
  },
  unlockAfterAlloc: {
    footprint: () => [],
    run: (s, _f, ctx) =>
      call('busylockRelease', { lock: `page.${here(s, ctx) * s.framesPerCluster}.lock` }, 'trueAllocated'),
  },
});

/** lockDiscipline: write-locks its own cluster's GPT copy, then the other cluster's (opposite orders). */
export const lockBothGpts: P = patched(
  pf,
  {
    lockMine: {
      footprint: () => [],
      run: (s, f, ctx) =>
        call('remoteRwlockWrAcquire', { lock: gptLockPath(pid(f), here(s, ctx)) }, 'lockOther'),
    },
    lockOther: {
      footprint: () => [],
      run: (s, f, ctx) =>
        call('remoteRwlockWrAcquire', { lock: gptLockPath(pid(f), 1 - here(s, ctx)) }, 'unlockOther'),
    },
    unlockOther: {
      footprint: () => [],
      run: (s, f, ctx) =>
        call('remoteRwlockWrRelease', { lock: gptLockPath(pid(f), 1 - here(s, ctx)) }, 'unlockMine'),
    },
    unlockMine: {
      footprint: () => [],
      run: (s, f, ctx) =>
        call('remoteRwlockWrRelease', { lock: gptLockPath(pid(f), here(s, ctx)) }, 'getVseg'),
    },
  },
  'lockMine',
);

/** lockDiscipline: write-locks the reference VSL, then getVseg's RPC needs it in the server. */
export const vslLockedAcrossRpc: P = patched(
  pf,
  {
    lockRefVsl: {
      footprint: () => [],
      run(s, f, ctx) {
        if (here(s, ctx) === refOf(s, f)) return 'getVseg';
        return call('remoteRwlockWrAcquire', { lock: vslLockPath(pid(f), refOf(s, f)) }, 'getVseg');
      },
    },
  },
  'lockRefVsl',
);

/** noKernelPanic: every page fault returns KERNEL_PANIC. */
export const panicking: P = patched(pf, { gotVseg: { footprint: () => [], run: () => ret('KERNEL_PANIC') } });

/** refinement: a freshly allocated page is not zero-filled. */
export const dirtyFreshPage: P = patched(pf, {
  trueAllocated: after(
    pf,
    'trueAllocated',
    (s, f) => {
      if (ppn(f) >= 0) s.mem[ppn(f)] = new Array(s.wordsPerPage).fill(42);
      return undefined;
    },
    (_s, f) => (ppn(f) >= 0 ? [{ obj: `mem.${ppn(f)}`, write: true }] : []),
  ),
});

/** noKernelPanic, USER_ERROR half: every page fault answers USER_ERROR, as if its vseg were missing. */
export const userErrorOnLegal: P = patched(pf, {
  gotVseg: { footprint: () => [], run: () => ret('USER_ERROR') },
});

/** noKernelPanic, assertion half: a true fault frees a free frame of its target cluster, then allocates. */
export const freeFreeFrame: P = patched(pf, {
  trueReread: {
    footprint: stepOf(pf, 'trueReread').footprint,
    run(s, f, ctx) {
      const result = stepOf(pf, 'trueReread').run(s, f, ctx);
      if (typeof result !== 'object' || result.k !== 'call') return result;
      const cxy = result.args.cxy as number;
      f.locals.alloc = cxy;
      const free = s.page.findIndex((p, i) => p.free && ppnHomeOf(s, i) === cxy);
      return call('ppmFreePage', { ppn: free }, 'allocAfterFree');
    },
  },
  allocAfterFree: {
    footprint: () => [],
    run: (_s, f) => call('ppmAllocPage', { cxy: f.locals.alloc as number }, 'trueAllocated', 'ppn'),
  },
});

/** refcountMatchesPtes: the true fault writes the local copy's PTE without counting the mapping. */
export const uncountedLocalPte: P = patched(pf, {
  trueSetLocal: {
    footprint: (s, f, ctx) => [w(ptePath(pid(f), here(s, ctx), vpn(f)))],
    run(s, f, ctx) {
      if (here(s, ctx) !== refOf(s, f))
        copyIn(s, pid(f), here(s, ctx)).gpt[vpn(f)] = { attr: vsegAttr(vseg(f)), ppn: ppn(f) };
      return 'trueUnlock';
    },
  },
});

/** noUseAfterFree, a leak caught as it happens: removeVseg keeps every page it unmaps (no release rule). */
export const keepEverything: P = patched(removeVseg, {
  decRefcount: {
    footprint: (_s, f) => [w(`page.${ppn(f)}.refcount`), w(pendingPath(ppn(f))), w(heldPath(ppn(f)))],
    run(s, f, ctx) {
      (s.page[ppn(f)] as PageDesc).refcount--;
      addPending(s, ppn(f), -1);
      release(s, ppn(f), ctx.tid);
      f.locals.vpn = vpn(f) + 1;
      return 'getPte';
    },
  },
});

/** forksNonNegative: removeVseg's forks test decrements a zero count too (the free then resets it). */
export const forksUnderflow: P = patched(removeVseg, {
  readForks: after(removeVseg, 'readForks', (s, f) => {
    if (f.locals.release === true) (s.page[ppn(f)] as PageDesc).forks--;
    return undefined;
  }),
});
