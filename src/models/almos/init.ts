/**
 * Builds the initial ALMOS state from a scenario and the knobs: frames and page descriptors of every
 * cluster, file mappers, processes with their reference copy (complete VSL, initial mappings) and one
 * copy in each cluster that runs one of their threads (its stacks only: copies fill on demand), user
 * threads then one RPC server daemon per cluster, and the abstract memory of the refinement check.
 */

import type { AbstractMemory, Region } from '../../../spec/memory.js';
import { newProcess } from '../../../spec/memory.js';
import { newDaemon, newThread } from '../../engine/instance.js';
import type { SystemState, Thread } from '../../engine/types.js';
import { claimFrame, firstFreeFrame, newPhysicalMemory } from '../../hw/memory.js';
import { newFifos } from '../../hw/rpcFifo.js';
import { vsegAttr } from './gpt.js';
import type { Knobs } from './knobs.js';
import { initialPageCluster, type Scenario, type ScenarioVseg } from './scenario.js';
import type { AlmosShared, Copy, PageDesc, Process, ThreadDesc, Vseg } from './state.js';

export const emptyRwLock = () => ({ readers: [], writer: -1, rq: [], wq: [] });

export function newCopy(knobs: Knobs): Copy {
  return {
    vsl: [],
    gpt: {},
    gptLock: emptyRwLock(),
    vslLock: knobs.generation === 'G1' ? emptyRwLock() : { holder: -1, wq: [] },
  };
}

export function toVseg(v: ScenarioVseg): Vseg {
  return {
    type: v.type,
    base: v.base,
    size: v.size,
    cxy: v.cxy ?? -1,
    writable: v.writable ?? v.type !== 'CODE',
    executable: v.type === 'CODE',
    file: v.file ?? -1,
  };
}

export function regionOfVseg(v: Vseg, stackOf = -1): Region {
  const file = v.type === 'FILE' || v.type === 'CODE' ? v.file : -1;
  return { base: v.base, size: v.size, writable: v.writable, file, stackOf, state: 'mapped' };
}

export function initialState(sc: Scenario, knobs: Knobs): SystemState<AlmosShared> {
  const phys = newPhysicalMemory(sc.clusters, sc.framesPerCluster, sc.wordsPerPage);
  const { mem, page } = phys;
  const alloc = (cxy: number, content: number[]): number => {
    const ppn = firstFreeFrame(phys, cxy);
    if (ppn < 0) throw new Error(`almos init: cluster ${cxy} has no free frame`);
    claimFrame(phys, ppn, content);
    (page[ppn] as PageDesc).refcount = 1;
    return ppn;
  };
  const files = (sc.files ?? []).map((f) => ({ cxy: f.cxy, pages: f.pages.map((p) => alloc(f.cxy, p)) }));
  const spec: AbstractMemory = {
    procs: [],
    files: (sc.files ?? []).map((f) => f.pages.map((p) => p.map((x) => [x]))),
  };

  const threads: Thread[] = [];
  const thread: ThreadDesc[] = [];
  const usedCores = sc.processes.map(() => 0);
  const coresTaken: boolean[][] = Array.from({ length: sc.clusters }, () =>
    new Array(sc.coresPerCluster).fill(false),
  );
  for (const p of sc.processes)
    for (const t of p.threads) if (t.core !== undefined) (coresTaken[t.cxy] as boolean[])[t.core] = true;

  const proc: Process[] = sc.processes.map((p, pid) => {
    const clustersUsed = [...new Set([p.ref, ...p.threads.map((t) => t.cxy)])];
    const copies = [p.ref, ...clustersUsed.filter((c) => c !== p.ref).sort((a, b) => a - b)];
    const copy: Array<Copy | null> = new Array(sc.clusters).fill(null);
    for (const cxy of copies) copy[cxy] = newCopy(knobs);
    const refCopy = copy[p.ref] as Copy;
    refCopy.vsl = p.vsegs.map(toVseg);
    const regions: Region[] = refCopy.vsl.map((v) => regionOfVseg(v));
    const words: { [k: string]: number } = {};
    for (const pg of p.pages ?? []) {
      const v = refCopy.vsl.find((x) => pg.vpn >= x.base && pg.vpn < x.base + x.size) as Vseg;
      const cxy = initialPageCluster(v, pg.vpn, sc.clusters);
      refCopy.gpt[pg.vpn] = { attr: vsegAttr(v), ppn: alloc(cxy, pg.content) };
      pg.content.forEach((x, off) => {
        words[`${pg.vpn}:${off}`] = x;
      });
    }
    p.threads.forEach((t) => {
      const tid = threads.length;
      let core = t.core;
      if (core === undefined) {
        core = (coresTaken[t.cxy] as boolean[]).indexOf(false);
        (coresTaken[t.cxy] as boolean[])[core] = true;
      }
      const stack = t.stack;
      if (stack) {
        const v: Vseg = {
          type: 'STACK',
          base: stack.base,
          size: stack.size,
          cxy: t.cxy,
          writable: true,
          executable: false,
          file: -1,
        };
        (copy[t.cxy] as Copy).vsl.push(v);
        regions.push(regionOfVseg(v, tid));
      }
      thread.push({ pid, cxy: t.cxy, core, stack: stack ? stack.base : -1 });
      threads.push(newThread(tid, `P${pid}.T${tid}@c${t.cxy}`, userMainRef, { ops: t.ops, i: 0 }));
      usedCores[pid] = (usedCores[pid] as number) + 1;
    });
    for (const c of copy) c?.vsl.sort((a, b) => a.base - b.base);
    spec.procs[pid] = newProcess(regions, words);
    return { pid, ref: p.ref, owner: p.ref, parent: -1, copies, copy, alive: true };
  });

  for (let cxy = 0; cxy < sc.clusters; cxy++) {
    const tid = threads.length;
    thread.push({ pid: -1, cxy, core: 0, stack: -1 });
    threads.push(newDaemon(tid, `rpc@c${cxy}`, rpcServerRef, { cxy }));
  }

  const shared: AlmosShared = {
    knobs,
    clusters: sc.clusters,
    framesPerCluster: sc.framesPerCluster,
    wordsPerPage: sc.wordsPerPage,
    mem,
    page,
    files,
    proc,
    thread,
    rpc: newFifos(sc.clusters),
    rpcServers: new Array(sc.clusters).fill(1),
    rpcIdle: new Array(sc.clusters).fill(1),
    rpcs: {},
    ghost: {
      panic: null,
      held: {},
      refcountPending: {},
      mapDoneInOp: [],
      spec,
      refinement: null,
      nextRpc: 0,
    },
  };
  return { shared, threads };
}

// Entry points by name only (avoids an import cycle with the procedure tables).
const userMainRef = { name: 'userMain', entry: 'next', steps: {} };
const rpcServerRef = { name: 'rpcServer', entry: 'take', steps: {} };
