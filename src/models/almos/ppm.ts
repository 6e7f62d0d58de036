/**
 * Physical page manager: allocation and release of one page in a given cluster (ppm_alloc_pages /
 * ppm_free_pages). Local requests are one atomic step of the cluster's allocator (first free frame,
 * zero-filled: src/hw/memory.ts). Remote ones are RPC_PMEM_GET_PAGES / RPC_PMEM_RELEASE_PAGES in G1
 * and direct remote accesses in G2. With the `allocFailures` knob, an allocation may fail (ENOMEM, a data choice).
 * Allocated pages sit in `ghost.inFlight` until mapped or freed (noUseAfterFree).
 */
import type { Procedure } from '../../engine/types.js';
import { call, ret } from '../../engine/types.js';
import { claimFrame, firstFreeFrame, frameHome, releaseFrame } from '../../hw/memory.js';
import { rpc } from './rpc.js';
import type { AlmosShared, PageDesc } from './state.js';
import { clusterPages, here, w } from './util.js';

/** Locals: `cxy` in; `ppn` (the RPC's result). Returns the PPN, or -1 (ENOMEM). */
export const ppmAllocPage: Procedure<AlmosShared, { cxy: number; ppn: number }> = {
  name: 'ppmAllocPage',
  entry: 'start',
  steps: {
    start: {
      footprint: () => [],
      run(s, f, ctx) {
        const cxy = f.locals.cxy;
        if (s.knobs.generation === 'G1' && cxy !== here(s, ctx)) {
          return rpc(cxy, 'PMEM_GET_PAGES', { cxy }, 'done', 'ppn');
        }
        return 'alloc';
      },
    },
    alloc: {
      footprint: (s, f) => {
        const cxy = f.locals.cxy;
        const ppn = firstFreeFrame(s, cxy);
        return [...clusterPages(s, cxy).map(w), ...(ppn >= 0 ? [w(`mem.${ppn}`)] : []), w('ghost.inFlight')];
      },
      run(s, f, ctx) {
        if (s.knobs.allocFailures && ctx.choose(2, 'allocation fails') === 1) return ret(-1);
        const ppn = firstFreeFrame(s, f.locals.cxy);
        if (ppn < 0) return ret(-1);
        claimFrame(s, ppn);
        s.ghost.inFlight.push(ppn);
        return ret(ppn);
      },
    },
    done: {
      footprint: () => [],
      run: (_s, f) => ret(f.locals.ppn),
    },
  },
};

/** Locals in: `ppn`. Frees the page in its home cluster. */
export const ppmFreePage: Procedure<AlmosShared, { ppn: number }> = {
  name: 'ppmFreePage',
  entry: 'start',
  steps: {
    start: {
      footprint: () => [],
      run(s, f, ctx) {
        const home = frameHome(f.locals.ppn, s.framesPerCluster);
        if (s.knobs.generation === 'G1' && home !== here(s, ctx)) {
          return rpc(home, 'PMEM_RELEASE_PAGES', { ppn: f.locals.ppn }, 'done');
        }
        return 'free';
      },
    },
    free: {
      footprint: (_s, f) => [w(`page.${f.locals.ppn}`), w('ghost.inFlight')],
      run(s, f, ctx) {
        const ppn = f.locals.ppn;
        const page = s.page[ppn] as PageDesc;
        if (page.free) ctx.fail(`ppmFreePage: page ${ppn} freed twice`);
        releaseFrame(s, ppn);
        s.ghost.inFlight = s.ghost.inFlight.filter((p) => p !== ppn);
        return ret();
      },
    },
    done: { footprint: () => [], run: () => ret() },
  },
};

export const rpcPmemGetPages: Procedure<AlmosShared, { cxy: number; ppn: number }> = {
  name: 'rpcPmemGetPages',
  entry: 'alloc',
  steps: {
    alloc: {
      footprint: () => [],
      run: (_s, f) => call('ppmAllocPage', { cxy: f.locals.cxy }, 'reply', 'ppn'),
    },
    reply: { footprint: () => [], run: (_s, f) => ret(f.locals.ppn) },
  },
};

export const rpcPmemReleasePages: Procedure<AlmosShared, { ppn: number }> = {
  name: 'rpcPmemReleasePages',
  entry: 'free',
  steps: {
    free: {
      footprint: () => [],
      run: (_s, f) => call('ppmFreePage', { ppn: f.locals.ppn }, 'reply'),
    },
    reply: { footprint: () => [], run: () => ret() },
  },
};
