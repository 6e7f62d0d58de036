/**
 * How correction knobs select corrected procedures (src/models/almos/corrections/): the documented
 * handlers read no correction knob; a configuration's procedure table (Model.proceduresFor) holds the
 * corrected variant of each procedure a selected correction changes, built on the documented one (or
 * on another correction's variant: they compose); an overridden procedure is used as it is, whatever
 * the knobs say (the override wins), while the other procedures still get their corrections.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Instance } from '../../src/engine/instance.js';
import { defaultSearchOptions, search } from '../../src/engine/search/index.js';
import type { Knobs } from '../../src/models/almos/knobs.js';
import { almos, almosModel } from '../../src/models/almos/model.js';
import { handlePageFault } from '../../src/models/almos/pageFault.js';
import { handlePageFaultG2 } from '../../src/models/almos/pageFaultG2.js';
import { g1WindowClosed, g2WindowClosed } from '../../src/models/almosManifest.js';

const correctionKnobs = [
  'cowProtocol',
  'faultHoldsRefLock',
  'forkHoldsGptLock',
  'forkProtectsParentFirst',
  'forkLocksRefPtes',
  'setCowLocksRefPte',
  'updateRefLast',
  'munmapProtocol',
  'attachRecheck',
] as const;

const handlers = [
  'pageFault',
  'pageFaultG2',
  'cow',
  'cowG2',
  'cowLocals',
  'getVseg',
  'globalUpdatePte',
  'fork',
  'forkCopy',
  'setCow',
  'munmap',
  'removeVseg',
  'copyWalk',
];

const instance = (knobs: Partial<Knobs>, model = almosModel) =>
  new Instance(model, { ...model.defaultConfig, ...knobs });
const steps = (inst: Instance<unknown>, proc: string) =>
  Object.keys(inst.procedures[proc]?.steps ?? {}).sort();

describe('the documented handlers', () => {
  it.each(handlers)('%s.ts reads no correction knob and imports no correction', (file) => {
    const source = readFileSync(join(import.meta.dirname, '../../src/models/almos', `${file}.ts`), 'utf8');
    const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    for (const knob of correctionKnobs) expect(code, knob).not.toMatch(new RegExp(`knobs\\.${knob}\\b`));
    expect(code).not.toMatch(/from '\.\/corrections\//);
    expect(code).not.toMatch(/detachFirst|vsegDeleting|\bcorrected\(/);
  });
});

describe('selection by knobs', () => {
  /** knob set, procedures it corrects, procedures it leaves as documented. */
  const table: ReadonlyArray<[Partial<Knobs>, readonly string[], readonly string[]]> = [
    [{ faultHoldsRefLock: true }, ['handlePageFault', 'handlePageFaultG2'], ['handleCow', 'getVseg']],
    [{ cowProtocol: 'decrementAfterUpdate' }, ['handleCow', 'handleCowG2'], ['handlePageFault']],
    [{ generation: 'G1', forkHoldsGptLock: true }, ['processMakeFork'], ['setCow']],
    [{ generation: 'G2', forkHoldsGptLock: true }, [], ['processMakeFork']],
    [{ generation: 'G2', setCowLocksRefPte: true }, ['setCow'], ['processMakeFork', 'halGptSetCow']],
    [{ generation: 'G1', setCowLocksRefPte: true }, [], ['setCow']],
    [
      { forkProtectsParentFirst: true },
      ['forkCopy', 'threadUserFork', 'rpcProcessMakeFork'],
      ['forkCopyRange', 'processMakeFork', 'setCow', 'halGptSetCow'],
    ],
    [{ generation: 'G2', forkLocksRefPtes: true }, ['processMakeFork'], ['forkCopy', 'rpcProcessMakeFork']],
    [{ generation: 'G1', forkLocksRefPtes: true }, [], ['processMakeFork']],
    [{ attachRecheck: true }, ['getVseg'], ['rpcVmmGetVseg', 'handlePageFault']],
    [{ updateRefLast: true }, ['globalUpdatePte'], ['rpcVmmGlobalUpdatePte']],
    [
      { munmapProtocol: 'detachFirst' },
      [
        'getVseg',
        'handlePageFault',
        'handlePageFaultG2',
        'globalDeleteVseg',
        'removeVseg',
        'rpcVmmRemoveVseg',
      ],
      ['sysMunmap', 'sysExit', 'handleCow'],
    ],
  ];
  it.each(table)('%o corrects %o, not %o', (knobs, corrected, documented) => {
    const inst = instance(knobs);
    for (const p of corrected) expect(inst.procedures[p], p).not.toBe(almosModel.procedures[p]);
    for (const p of documented) expect(inst.procedures[p], p).toBe(almosModel.procedures[p]);
  });

  it('the defaults (documented designs) use the documented table as it is', () => {
    const inst = instance({});
    for (const p of Object.keys(almosModel.procedures))
      expect(inst.procedures[p], p).toBe(almosModel.procedures[p]);
  });

  it('a correction overrides steps of the documented procedure and adds its own', () => {
    expect(steps(instance({}), 'handleCow')).not.toContain('settle');
    const cow = instance({ cowProtocol: 'decrementAfterUpdate' });
    expect(steps(cow, 'handleCow')).toEqual(
      [...steps(instance({}), 'handleCow'), 'allocate', 'settle'].sort(),
    );
    expect(cow.procedures.handleCow?.steps.lockGpt).toBe(almosModel.procedures.handleCow?.steps.lockGpt);
    expect(cow.procedures.handleCow?.steps.readForks).not.toBe(
      almosModel.procedures.handleCow?.steps.readForks,
    );
  });

  it('corrections of one procedure compose (faultHoldsRefLock, then detachFirst)', () => {
    const documented = steps(instance({}), 'handlePageFault');
    const both = instance({ faultHoldsRefLock: true, munmapProtocol: 'detachFirst' });
    expect(steps(both, 'handlePageFault')).toEqual(
      [...documented, 'falseUnlockRef', 'falseRecheck', 'trueRecheck'].sort(),
    );
    expect(steps(instance({ munmapProtocol: 'detachFirst' }), 'handlePageFault')).not.toContain(
      'falseUnlockRef',
    );
  });
});

describe('an override wins over a correction knob', () => {
  const bfs = (inst: Instance<unknown>) => search(inst, { ...defaultSearchOptions, strategy: 'bfs' });
  it.each(['G1', 'G2'] as const)(
    '%s: the documented page fault as an override brings finding 5 back',
    (g) => {
      // Behind the fork window (F4: closed by the fork corrections), as test/almos/corrected.test.ts.
      const closed = g === 'G1' ? g1WindowClosed : g2WindowClosed;
      const knobs = { ...closed, scenario: 'cow-false-fault-race', faultHoldsRefLock: true };
      expect(bfs(instance(knobs)).verdict).toBe('pass');
      const mine = almos({ overrides: { handlePageFault, handlePageFaultG2 } });
      const inst = instance(knobs, mine);
      expect(inst.procedures.handlePageFault?.steps).toBe(handlePageFault.steps);
      expect(inst.procedures.handlePageFaultG2?.steps).toBe(handlePageFaultG2.steps);
      expect(bfs(inst).violation?.name).toBe('refinement');
    },
  );

  it('the procedures not overridden keep their corrections', () => {
    const mine = almos({ overrides: { handlePageFault } });
    const inst = instance({ faultHoldsRefLock: true, cowProtocol: 'decrementAfterUpdate' }, mine);
    expect(steps(inst, 'handlePageFaultG2')).toEqual(
      steps(instance({ faultHoldsRefLock: true }), 'handlePageFaultG2'),
    );
    expect(inst.procedures.handlePageFaultG2).not.toBe(almosModel.procedures.handlePageFaultG2);
    expect(steps(inst, 'handleCow')).toContain('settle');
  });

  it('so does a copy of the model with a procedure replaced (a mutant)', () => {
    const p = almosModel.procedures.handleCowG2;
    if (p === undefined) throw new Error('no handleCowG2');
    const mutant = { ...almosModel, procedures: { ...almosModel.procedures, handleCowG2: { ...p } } };
    const inst = instance({ cowProtocol: 'decrementAfterUpdate' }, mutant);
    expect(steps(inst, 'handleCowG2')).not.toContain('settle');
    expect(steps(inst, 'handleCow')).toContain('settle');
  });
});
