/**
 * Physical page manager: allocation and release of one page in a given cluster (ppm_alloc_pages /
 * ppm_free_pages). Local requests are one atomic step of the cluster's allocator (first free frame,
 * zero-filled: src/hw/memory.ts). Remote ones are RPC_PMEM_GET_PAGES / RPC_PMEM_RELEASE_PAGES in G1
 * and direct remote accesses in G2. With the `allocFailures` knob, an allocation may fail (ENOMEM, a data choice).
 * Ownership (ghost.ts, noUseAfterFree): the allocated page is held (`allocated`) by the thread the
 * request works for — the caller, or the client of RPC_PMEM_GET_PAGES from the server's allocation
 * step on (local `holder`) — until a PTE maps it; a free drops that thread's holds on the page. Freeing
 * a free page is the kernel assertion of ppm_free_pages, recorded for noKernelPanic.
 */
import type { Procedure } from '../../engine/types.js';
import { call, ret } from '../../engine/types.js';
import { claimFrame, firstFreeFrame, frameHome, releaseFrame } from '../../hw/memory.js';
import { heldPath, hold, holderOf, kernelPanic, panicFootprint, release } from './ghost.js';
import { rpc } from './rpc.js';
import type { AlmosShared, PageDesc } from './state.js';
import { clusterPages, here, w } from './util.js';

/**
 * Locals: `cxy`, optional `holder` (the RPC client) in; `ppn` (the RPC's result). Returns the PPN, or
 * -1 (ENOMEM).
 */
export const ppmAllocPage: Procedure<AlmosShared, { cxy: number; holder?: number; ppn: number }> = {
  name: 'ppmAllocPage',
  entry: 'start',
  steps: {
    start: {
      footprint: () => [],
      run(s, f, ctx) {
        const cxy = f.locals.cxy;
        if (s.knobs.generation === 'G1' && cxy !== here(s, ctx)) {
          return rpc(cxy, 'PMEM_GET_PAGES', { cxy, holder: holderOf(f, ctx.tid) }, 'done', 'ppn');
        }
        return 'alloc';
      },
    },
    alloc: {
      footprint: (s, f) => {
        const cxy = f.locals.cxy;
        const ppn = firstFreeFrame(s, cxy);
        return [...clusterPages(s, cxy).map(w), ...(ppn >= 0 ? [w(`mem.${ppn}`), w(heldPath(ppn))] : [])];
      },
      run(s, f, ctx) {
        if (s.knobs.allocFailures && ctx.choose(2, 'allocation fails') === 1) return ret(-1);
        const ppn = firstFreeFrame(s, f.locals.cxy);
        if (ppn < 0) return ret(-1);
        claimFrame(s, ppn);
        hold(s, ppn, holderOf(f, ctx.tid), 'allocated');
        return ret(ppn);
      },
    },
    done: {
      footprint: () => [],
      run: (_s, f) => ret(f.locals.ppn),
    },
  },
};

/** Locals in: `ppn`, optional `holder` (the RPC client). Frees the page in its home cluster. */
export const ppmFreePage: Procedure<AlmosShared, { ppn: number; holder?: number }> = {
  name: 'ppmFreePage',
  entry: 'start',
  steps: {
    start: {
      footprint: () => [],
      run(s, f, ctx) {
        const home = frameHome(f.locals.ppn, s.framesPerCluster);
        if (s.knobs.generation === 'G1' && home !== here(s, ctx)) {
          const args = { ppn: f.locals.ppn, holder: holderOf(f, ctx.tid) };
          return rpc(home, 'PMEM_RELEASE_PAGES', args, 'done');
        }
        return 'free';
      },
    },
    free: {
      footprint: (s, f) => {
        const ppn = f.locals.ppn;
        return [w(`page.${ppn}`), w(heldPath(ppn)), ...panicFootprint((s.page[ppn] as PageDesc).free)];
      },
      run(s, f, ctx) {
        const ppn = f.locals.ppn;
        const page = s.page[ppn] as PageDesc;
        if (page.free) kernelPanic(s, `ppmFreePage: page ${ppn} is already free`);
        else releaseFrame(s, ppn);
        release(s, ppn, holderOf(f, ctx.tid));
        return ret();
      },
    },
    done: { footprint: () => [], run: () => ret() },
  },
};

/** Locals: `cxy`, `holder` (the client thread) in; `ppn` (ppmAllocPage's result). */
export const rpcPmemGetPages: Procedure<AlmosShared, { cxy: number; holder: number; ppn: number }> = {
  name: 'rpcPmemGetPages',
  entry: 'alloc',
  steps: {
    alloc: {
      footprint: () => [],
      run: (_s, f) => call('ppmAllocPage', { cxy: f.locals.cxy, holder: f.locals.holder }, 'reply', 'ppn'),
    },
    reply: { footprint: () => [], run: (_s, f) => ret(f.locals.ppn) },
  },
};

/** Locals in: `ppn`, `holder` (the client thread). */
export const rpcPmemReleasePages: Procedure<AlmosShared, { ppn: number; holder: number }> = {
  name: 'rpcPmemReleasePages',
  entry: 'free',
  steps: {
    free: {
      footprint: () => [],
      run: (_s, f) => call('ppmFreePage', { ppn: f.locals.ppn, holder: f.locals.holder }, 'reply'),
    },
    reply: { footprint: () => [], run: () => ret() },
  },
};
