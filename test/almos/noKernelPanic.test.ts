/**
 * noKernelPanic's two halves (src/models/almos/invariants/noKernelPanic.ts), each shown firing and each
 * shown silent where the spec allows the outcome: a USER_ERROR on a legal access (and not on an illegal
 * one, nor on one an mmap completing during the fault makes legal only at its end), and a kernel
 * assertion recorded with the function and the condition that failed. The other assertion sites are
 * covered where their races live: freeFreeFrame (invariants.test.ts), unlockPte (remove.test.ts), the
 * handleCow unmapped PTE (cow.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { execute } from '../../src/engine/executor.js';
import { Instance } from '../../src/engine/instance.js';
import { randomScheduler } from '../../src/engine/schedulers/random.js';
import { defaultSearchOptions, search } from '../../src/engine/search/index.js';
import type { Model, Procedure, Step } from '../../src/engine/types.js';
import { PTE } from '../../src/hw/pte.js';
import { sysMmap } from '../../src/models/almos/mmap.js';
import { type AlmosConfig, almos, almosModel } from '../../src/models/almos/model.js';
import type { AlmosShared, PageDesc } from '../../src/models/almos/state.js';
import { restrictInvariants } from '../../src/models/manifest.js';
import { userErrorOnLegal } from './invariantVariants.js';

type M = Model<AlmosShared, AlmosConfig>;
const only = (m: M): M => restrictInvariants(m, ['noKernelPanic']) as M;
const bfs = (m: M, scenario: string, knobs: Partial<AlmosConfig> = {}) =>
  search(new Instance<AlmosShared>(only(m), { ...almosModel.defaultConfig, scenario, ...knobs }), {
    ...defaultSearchOptions,
    strategy: 'bfs',
    maxStates: 100_000,
  });

const machine = { clusters: 2, coresPerCluster: 1, framesPerCluster: 2, wordsPerPage: 1, vpnCount: 4 };

describe('a user action on a legal address never yields USER_ERROR', () => {
  it('fires when a page fault refuses a mapped, writable address', () => {
    const r = bfs(almos({ overrides: { handlePageFault: userErrorOnLegal } }), 'shared-fault');
    expect(r.violation).toMatchObject({
      name: 'noKernelPanic',
      message: 'mmuAccess: P0 store 5 to va 1 got USER_ERROR, but the access is legal (region mapped)',
      step: 10,
    });
  });

  it('stays silent on a USER_ERROR the abstract memory expects: outside every vseg, a store to code', () => {
    const scenario = JSON.stringify({
      ...machine,
      files: [{ cxy: 0, pages: [[9]] }],
      processes: [
        {
          ref: 0,
          vsegs: [{ type: 'CODE', base: 0, size: 1, file: 0 }],
          threads: [
            { cxy: 1, ops: [{ op: 'load', va: 3 }] },
            { cxy: 0, ops: [{ op: 'store', va: 0, value: 1 }] },
          ],
        },
      ],
    });
    const r = bfs(almosModel, scenario);
    expect([r.verdict, r.states > 50]).toEqual(['pass', true]);
  });

  /** T0 unmaps the DATA page and maps ANON memory at the same address while T1 (c1) loads it. */
  const remap = JSON.stringify({
    ...machine,
    processes: [
      {
        ref: 0,
        vsegs: [{ type: 'DATA', base: 0, size: 1 }],
        pages: [{ vpn: 0, content: [5] }],
        threads: [
          {
            cxy: 0,
            ops: [
              { op: 'munmap', base: 0 },
              { op: 'mmap', type: 'ANON', base: 0, size: 1, cxy: 0 },
            ],
          },
          { cxy: 1, ops: [{ op: 'load', va: 0 }] },
        ],
      },
    ],
  });
  const created = sysMmap.steps.created as Step<AlmosShared>;
  /** sysMmap without its note of the operations the mmap completed during. */
  const forgetful: Procedure<AlmosShared> = {
    ...sysMmap,
    steps: {
      ...sysMmap.steps,
      created: {
        footprint: created.footprint,
        run(s, f, ctx) {
          const before = s.ghost.mapDoneInOp;
          const result = created.run(s, f, ctx);
          s.ghost.mapDoneInOp = before;
          return result;
        },
      },
    },
  };

  it.each([
    ['G1', {}, 69],
    ['G2', { munmapProtocol: 'detachFirst' }, 73],
  ] as const)(
    '%s: silent when munmap and a new mmap both complete during the fault (mapped at both ends, not in between)',
    (generation, knobs, step) => {
      expect(bfs(almosModel, remap, { generation, ...knobs }).verdict).toBe('pass');
      const r = bfs(almos({ overrides: { sysMmap: forgetful } }), remap, { generation, ...knobs });
      expect(r.violation).toMatchObject({
        message: 'mmuAccess: P0 load from va 0 got USER_ERROR, but the access is legal (region mapped)',
        step,
      });
    },
  );
});

describe('a kernel assertion is recorded where the handler fails, naming it and the condition', () => {
  it('handleCow: a COW fault on a page of no registered vseg', () => {
    const scenario = JSON.stringify({
      ...machine,
      processes: [
        {
          ref: 0,
          vsegs: [{ type: 'DATA', base: 0, size: 1 }],
          pages: [{ vpn: 0, content: [5] }],
          threads: [{ cxy: 0, ops: [{ op: 'store', va: 0, value: 1 }] }],
        },
      ],
    });
    const corrupted: M = {
      ...almosModel,
      init: (c) => {
        const st = almosModel.init(c);
        const ref = st.shared.proc[0]?.copy[0];
        if (ref === null || ref === undefined) throw new Error('P0 has its reference in c0');
        const pte = ref.gpt[0] as { attr: number; ppn: number };
        pte.attr = (pte.attr | PTE.COW) & ~PTE.WRITABLE;
        ref.vsl = [];
        (st.shared.page[pte.ppn] as PageDesc).forks = 0;
        return st;
      },
    };
    const inst = new Instance<AlmosShared>(only(corrupted), { ...almosModel.defaultConfig, scenario });
    const e = execute(inst, randomScheduler(1), 0, { maxSteps: 1000, checkInvariants: true, trace: true });
    expect(e.violation).toMatchObject({
      name: 'noKernelPanic',
      message: 'handleCow: vpn 0 of P0 is in no registered vseg',
    });
    expect(e.trace?.at(-1)?.label).toBe('handleCow.lockGpt');
  });
});
