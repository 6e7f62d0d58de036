/**
 * Copy-on-write in the ALMOS model (handleCow G1, handleCowG2, globalUpdatePte), on COW situations
 * built directly in the initial state (cowSupport.ts): reuse vs allocation, every copy updated,
 * private (STACK) COW, ENOMEM, the unmapped-PTE panic, the `cowRecheck` knob explored exhaustively,
 * the findings with their shortest counterexamples, and footprints validated by traced runs.
 */
import { describe, expect, it } from 'vitest';
import { replayDecisions } from '../../src/engine/campaign.js';
import { execute } from '../../src/engine/executor.js';
import { randomScheduler } from '../../src/engine/schedulers/random.js';
import { defaultSearchOptions, search } from '../../src/engine/search/index.js';
import type { ThreadId } from '../../src/engine/types.js';
import { PTE } from '../../src/hw/pte.js';
import type { Knobs } from '../../src/models/almos/knobs.js';
import type { Op, Scenario } from '../../src/models/almos/scenario.js';
import type { AlmosShared } from '../../src/models/almos/state.js';
import {
  allCowInvariants,
  cowInstance,
  cowStack,
  firstThread,
  makeCow,
  noBlockingUnderBusylock,
  noWritableSharing,
  run,
  share,
} from './cowSupport.js';

type S = AlmosShared;
const st = (va: number, value: number): Op => ({ op: 'store', va, value });
const ld = (va: number): Op => ({ op: 'load', va });
const base = { coresPerCluster: 2, framesPerCluster: 3, wordsPerPage: 2, vpnCount: 8 };
const data = [{ type: 'DATA' as const, base: 0, size: 1 }];
const page0 = [{ vpn: 0, content: [10, 11] }];
const RW = PTE.MAPPED | PTE.SMALL | PTE.READABLE | PTE.USER | PTE.CACHABLE | PTE.WRITABLE;

/** P0 (reference 0) runs one thread per `ops` entry, in clusters 0.. ; P1 (reference 0) holds the page. */
const pub = (ops: Op[][], clusters = ops.length): Scenario => ({
  ...base,
  clusters,
  processes: [
    { ref: 0, vsegs: data, pages: page0, threads: ops.map((o, cxy) => ({ cxy, ops: o })) },
    { ref: 0, vsegs: data, pages: page0, threads: [] },
  ],
});
/** DATA vpn 0 is COW in P0's gpt(0) and gpt(1); forks > 0: P1 shares the page (forks = 1). */
const cowPub = (forks: number) => (s: S) => {
  if (forks > 0) share(s, 0, 1, 0);
  makeCow(s, 0, 0, [0, 1], forks);
  if (forks > 0) makeCow(s, 1, 0, [0], forks);
};
const gpt = (s: S, pid: number, cxy: number) => s.proc[pid]?.copy[cxy]?.gpt ?? {};
const labels = (e: ReturnType<typeof run>) => (e.trace ?? []).map((t) => t.label);
const bfs = (knobs: Partial<Knobs>, sc: Scenario, mutate: (s: S) => void, invs = allCowInvariants) => {
  const inst = cowInstance(sc, mutate, knobs, invs);
  const r = search(inst, { ...defaultSearchOptions, strategy: 'bfs' });
  const trace = r.decisions ? (replayDecisions(inst, r.decisions).trace ?? []) : [];
  return { ...r, labels: trace.map((t) => `${t.thread} ${t.label}`) };
};

/** P0 (reference 1) in cluster 0 and P1 in cluster 0 share a COW stack page at vpn 4 (forks 1). */
const stackThread = (ops: Op[]) => ({ cxy: 0, stack: { base: 4, size: 1 }, ops });
const stack: Scenario = {
  ...base,
  clusters: 2,
  processes: [
    { ref: 1, vsegs: data, threads: [stackThread([st(8, 7), ld(9)]), { cxy: 1, ops: [] }] },
    { ref: 0, vsegs: data, threads: [stackThread([ld(9), st(8, 3), ld(8)])] },
  ],
};
const cowStackOf = (s: S) => cowStack(s, [0, 1], 0, 4, [5, 6]);

describe.each(['G1', 'G2'] as const)('handleCow %s', (generation) => {
  describe.each([0, 1])('store from cluster %i (reference cluster 0)', (storer) => {
    const ops = [[], [], []].map((o, cxy) => (cxy === storer ? [st(0, 1), ld(1)] : o));

    it('forks == 0: reuses the page, no allocation, every mapped copy made writable', () => {
      const inst = cowInstance(pub(ops), cowPub(0), { generation });
      const ppn = gpt(inst.init().shared, 0, 0)[0]?.ppn as number;
      const e = run(inst, firstThread());
      expect(e.violation).toBeNull();
      const s = e.state.shared;
      expect(labels(e)).not.toContain('ppmAllocPage.start');
      for (const cxy of [0, 1]) expect(gpt(s, 0, cxy)[0]).toEqual({ attr: RW, ppn });
      expect(gpt(s, 0, 2)[0]).toBeUndefined();
      expect([s.mem[ppn], s.page[ppn]?.forks, s.page[ppn]?.refcount]).toEqual([[1, 11], 0, 2]);
    });

    it('forks > 0: allocates, copies, decrements forks, the store lands in the new page', () => {
      const e = run(cowInstance(pub(ops), cowPub(1), { generation }), firstThread());
      expect(e.violation).toBeNull();
      const s = e.state.shared;
      const old = gpt(s, 1, 0)[0]?.ppn as number;
      const ppn = gpt(s, 0, 0)[0]?.ppn as number;
      expect(ppn).not.toBe(old);
      expect(Math.floor(ppn / s.framesPerCluster)).toBe(0); // target(vpn 0) = cluster 0
      for (const cxy of [0, 1]) expect(gpt(s, 0, cxy)[0]).toEqual({ attr: RW, ppn });
      expect(gpt(s, 0, 2)[0]).toBeUndefined();
      expect((gpt(s, 1, 0)[0]?.attr ?? 0) & PTE.COW).toBe(PTE.COW);
      expect([s.mem[ppn], s.mem[old]]).toEqual([
        [1, 11],
        [10, 11],
      ]);
      expect([s.page[old]?.forks, s.page[old]?.refcount, s.page[ppn]?.refcount]).toEqual([0, 1, 2]);
      const rpcUpdate = generation === 'G1' && storer !== 0;
      expect(labels(e).includes('rpcVmmGlobalUpdatePte.update')).toBe(rpcUpdate);
    });
  });

  it.each([false, true])('updateTouchesUnmapped=%s: an unmapped copy entry is skipped or written', (t) => {
    const sc = pub([[st(0, 1)], [], []]);
    const e = run(cowInstance(sc, cowPub(1), { generation, updateTouchesUnmapped: t }), firstThread());
    expect(e.violation).toBeNull();
    const s = e.state.shared;
    const ppn = gpt(s, 0, 0)[0]?.ppn as number;
    expect(gpt(s, 0, 2)[0]).toEqual(t ? { attr: RW, ppn } : undefined);
    expect(s.page[ppn]?.refcount).toBe(t ? 3 : 2);
    // Finding (mappingsInsideVsegs) when written: gpt(2) maps a page of a vseg its VSL never attached.
    expect(s.proc[0]?.copy[2]?.vsl).toEqual([]);
  });

  it('private (STACK) COW allocates in L and updates gpt(L) only', () => {
    let shared = -1;
    const mutate = (s: S) => {
      shared = cowStackOf(s);
    };
    const e = run(cowInstance(stack, mutate, { generation }), firstThread());
    expect(e.violation).toBeNull();
    const s = e.state.shared;
    const ppn = gpt(s, 0, 0)[4]?.ppn as number;
    expect(ppn).not.toBe(shared);
    expect(Math.floor(ppn / s.framesPerCluster)).toBe(0);
    expect(gpt(s, 0, 0)[4]?.attr).toBe(RW);
    expect(gpt(s, 0, 1)[4]).toBeUndefined();
    // P1, now the last holder (forks 0), breaks its COW by reusing the page in place.
    expect(gpt(s, 1, 0)[4]).toEqual({ attr: RW, ppn: shared });
    expect([s.mem[ppn], s.mem[shared], s.page[shared]?.forks]).toEqual([[7, 6], [3, 6], 0]);
  });

  it('a PTE unmapped under the lock is a KERNEL_PANIC, recorded with its condition, returned after unlocking', () => {
    const mutate = (s: S) => {
      makeCow(s, 0, 0, [1], 0);
      delete gpt(s, 0, 0)[0];
      (s.page[0] as { refcount: number }).refcount--;
    };
    const inst = cowInstance(pub([[], [st(0, 1)]]), mutate, { generation }, []);
    const e = run(inst, firstThread());
    const proc = generation === 'G1' ? 'handleCow' : 'handleCowG2';
    expect(e.violation).toMatchObject({
      name: 'noKernelPanic',
      message: `${proc}: vpn 0 of P0 is unmapped in gpt(c0)${generation === 'G1' ? ' under its lock' : ''}`,
    });
    expect(e.trace?.at(-1)?.label).toBe(generation === 'G1' ? 'handleCow.readPte' : 'handleCowG2.checkPte');
    const off = execute(inst, firstThread(), 0, { maxSteps: 5000, checkInvariants: false, trace: false });
    expect(off.state.shared.ghost.panic).toBe(e.violation?.message);
    expect(off.state.shared.proc[0]?.copy[0]?.gptLock.writer).toBe(-1);
    expect(gpt(off.state.shared, 0, 0)[0]).toBeUndefined();
  });

  /** T1 takes the COW fault, then T0 breaks the COW and stores, then T1 handles its stale fault. */
  it.each([true, false])('cowRecheck=%s on a fault whose COW was broken meanwhile', (cowRecheck) => {
    let picks = 0;
    const sched = {
      ...firstThread(),
      pickThread: (en: readonly ThreadId[]) => (picks++ < 2 ? 1 : (en[0] as number)) as ThreadId,
    };
    const e = run(cowInstance(pub([[st(0, 1)], [st(1, 2)]]), cowPub(1), { generation, cowRecheck }), sched);
    expect(e.violation).toBeNull();
    const proc = generation === 'G1' ? 'handleCow' : 'handleCowG2';
    const mine = (e.trace ?? []).filter((t) => t.tid === 1).map((t) => t.label);
    expect(mine.filter((l) => l === `${proc}.readForks`).length).toBe(cowRecheck ? 0 : 1);
    expect(labels(e).filter((l) => l === 'ppmAllocPage.start').length).toBe(1);
    expect(e.state.shared.mem[gpt(e.state.shared, 0, 1)[0]?.ppn as number]).toEqual([1, 2]);
  });

  it('ENOMEM: the thread is killed, locks released; G2 has already decremented forks', () => {
    const inst = cowInstance(pub([[st(0, 1), ld(1)], []]), cowPub(1), { generation, allocFailures: true });
    const e = run(inst, firstThread(1));
    const s = e.state.shared;
    expect(labels(e).filter((l) => l === 'mmuAccess.translate').length).toBe(1);
    expect(gpt(s, 0, 0)[0]?.attr).toBe((RW & ~PTE.WRITABLE) | PTE.COW);
    expect(s.page.filter((p) => !p.free).length).toBe(1);
    expect([s.page[0]?.lock, s.proc[0]?.copy[0]?.gptLock.writer, s.ghost.held]).toEqual([-1, -1, {}]);
    if (generation === 'G1') {
      expect(e.violation).toBeNull();
    } else {
      expect(e.violation?.name).toBe('forksAccounting');
      expect(e.violation?.message).toBe('page 0: forks 0, 2 holders');
    }
    const r = bfs({ generation, allocFailures: true }, pub([[st(0, 1), ld(1)], []]), cowPub(1));
    expect([r.verdict, r.violation?.step]).toEqual(
      generation === 'G1' ? ['pass', undefined] : ['violation', 24],
    );
  });
});

/** Two threads of P0 (clusters 0 and 1) store to the same COW page (shared with P1) and load. */
const race = pub([
  [st(0, 1), ld(1)],
  [st(1, 2), ld(0)],
]);
/** P0 and P1 share the page (forks 1): each stores to it, P0 then loads the word P1 wrote. */
const cross: Scenario = {
  ...base,
  clusters: 2,
  processes: [
    { ref: 0, vsegs: data, pages: page0, threads: [{ cxy: 0, ops: [st(0, 1), ld(1)] }] },
    { ref: 1, vsegs: data, pages: page0, threads: [{ cxy: 1, ops: [st(1, 99)] }] },
  ],
};
const cowCross = (s: S) => {
  share(s, 0, 1, 0);
  makeCow(s, 0, 0, [0], 1);
  makeCow(s, 1, 0, [1], 1);
};
/** As `cross`, but the store is P0's thread in cluster 0 and P0's thread in cluster 1 loads. */
const cross3: Scenario = {
  ...base,
  clusters: 2,
  processes: [
    {
      ref: 0,
      vsegs: data,
      pages: page0,
      threads: [
        { cxy: 0, ops: [st(0, 1)] },
        { cxy: 1, ops: [ld(1)] },
      ],
    },
    { ref: 1, vsegs: data, pages: page0, threads: [{ cxy: 1, ops: [st(1, 99)] }] },
  ],
};
const cowCross3 = (s: S) => {
  share(s, 0, 1, 0);
  makeCow(s, 0, 0, [0, 1], 1);
  makeCow(s, 1, 0, [1], 1);
};
/** P0 stores (COW) in cluster 0 while its thread in cluster 2 takes a false page fault on the page. */
const fault = pub([[st(0, 1)], [], [ld(0)]]);

describe('exhaustive: two concurrent COW faults on the same page from two clusters', () => {
  // The PTE is re-read under G's lock (G1 gpt lock, G2 PTE lock), so without the re-check the second
  // handler sees the first one's private page (forks 0) and re-applies the same PTE: no double
  // allocation, no forks underflow, no lost store. It only explores more states (redundant update).
  it.each(['G1', 'G2'] as const)('%s: both cowRecheck values pass; without it, more states', (generation) => {
    const [on, off] = [true, false].map((cowRecheck) => bfs({ generation, cowRecheck }, race, cowPub(1)));
    expect([on?.verdict, off?.verdict]).toEqual(['pass', 'pass']);
    expect(off?.states).toBeGreaterThan(on?.states as number);
  });
});

describe('findings (shortest counterexamples, BFS)', () => {
  it('forks is released before the PTE update: the other holder writes the page P0 still maps', () => {
    for (const [generation, step] of [
      ['G1', 42],
      ['G2', 39],
    ] as const) {
      const r = bfs({ generation }, cross3, cowCross3, []);
      expect([r.violation?.name, r.violation?.step, r.violation?.message]).toEqual([
        'refinement',
        step,
        'P0 load from va 1 returned 99, the abstract memory allows [11]',
      ]);
      expect(r.labels.at(-1)).toBe('P0.T1@c1 mmuAccess.translate');
    }
  });

  it('noWritableSharing: the last holder makes the page writable before P0 stops mapping it', () => {
    for (const [generation, step, proc] of [
      ['G1', 38, 'handleCow'],
      ['G2', 37, 'handleCowG2'],
    ] as const) {
      const r = bfs({ generation }, stack, cowStackOf, [noWritableSharing]);
      expect([r.violation?.message, r.violation?.step]).toEqual([
        'P1 vpn 4 maps shared page 0 writable',
        step,
      ]);
      expect(r.labels.at(-1)).toBe(`P1.T2@c0 ${proc}.setPte`);
    }
  });

  it('G2: forks is decremented before the copy, the other holder writes the page in place meanwhile', () => {
    expect(bfs({ generation: 'G1' }, cross, cowCross).verdict).toBe('pass');
    const r = bfs({ generation: 'G2' }, cross, cowCross, []);
    expect([r.violation?.name, r.violation?.step]).toEqual(['refinement', 50]);
    expect(r.violation?.message).toBe('P0 load from va 1 returned 99, the abstract memory allows [11]');
    const p1 = r.labels.indexOf('P1.T1@c1 handleCowG2.readForks');
    expect(r.labels.indexOf('P0.T0@c0 handleCowG2.decForks')).toBeLessThan(p1);
    expect(r.labels.indexOf('P0.T0@c0 handleCowG2.copyPage')).toBeGreaterThan(p1);
  });

  it('G1: the page busylock is held across RPC_PMEM_GET_PAGES (lockDiscipline)', () => {
    const sc = pub([[], [st(0, 1)]]);
    const r = bfs({ generation: 'G1' }, sc, cowPub(1), [noBlockingUnderBusylock]);
    expect([r.violation?.name, r.violation?.step, r.labels.at(-1)]).toEqual([
      'noBlockingUnderBusylock',
      15,
      'P0.T1@c1 rpcSend.send',
    ]);
    expect(bfs({ generation: 'G2' }, sc, cowPub(1), [noBlockingUnderBusylock]).verdict).toBe('pass');
  });

  it('updateTouchesUnmapped=false: a concurrent false page fault installs the stale COW PTE', () => {
    for (const [generation, step] of [
      ['G1', 61],
      ['G2', 54],
    ] as const) {
      const r = bfs({ generation, updateTouchesUnmapped: false }, fault, cowPub(1));
      expect([r.violation?.name, r.violation?.step, r.violation?.message]).toEqual([
        'refinement',
        step,
        'P0 load from va 0 returned 10, the abstract memory allows [1]',
      ]);
    }
    expect(bfs({ generation: 'G1', updateTouchesUnmapped: true }, fault, cowPub(1)).verdict).toBe('pass');
  });

  it('G2, updateTouchesUnmapped=true: the update overwrites a PTE locked by a page fault', () => {
    const r = bfs({ generation: 'G2', updateTouchesUnmapped: true }, fault, cowPub(1));
    expect([r.violation?.name, r.violation?.step, r.violation?.message]).toEqual([
      'refcountExact',
      48,
      'page 1: refcount 4, mapped by 3 entries',
    ]);
    expect(r.labels.at(-1)).toBe('P0.T2@c2 handlePageFaultG2.setLocalFromRef');
  });
});

describe('footprints', () => {
  const runs: Array<[string, Scenario, (s: S) => void]> = [
    ['race', race, cowPub(1)],
    ['reuse', race, cowPub(0)],
    ['cross', cross, cowCross],
    ['cross3', cross3, cowCross3],
    ['fault', fault, cowPub(1)],
    ['stack', stack, cowStackOf],
  ];
  it('traced random runs over every knob combination never throw, and reach every COW step', () => {
    const seen = new Set<string>();
    for (const [, sc, mutate] of runs)
      for (const generation of ['G1', 'G2'] as const)
        for (const cowRecheck of [false, true])
          for (const updateTouchesUnmapped of [false, true])
            for (const allocFailures of [false, true])
              for (const cowProtocol of ['documented', 'decrementAfterUpdate'] as const) {
                const knobs = { generation, cowRecheck, updateTouchesUnmapped, allocFailures, cowProtocol };
                const inst = cowInstance(sc, mutate, knobs, []);
                for (let seed = 0; seed < (cowProtocol === 'documented' ? 12 : 4); seed++)
                  for (const l of labels(run(inst, randomScheduler(seed)))) seen.add(l);
              }
    const procs = ['handleCow', 'handleCowG2', 'cowReleaseOld', 'globalUpdatePte', 'rpcVmmGlobalUpdatePte'];
    const cowSteps = procs.flatMap((p) =>
      Object.keys(cowInstance(race, () => {}).procedures[p]?.steps ?? {}).map((l) => `${p}.${l}`),
    );
    expect(cowSteps.filter((l) => !seen.has(l))).toEqual([]);
  });
});
