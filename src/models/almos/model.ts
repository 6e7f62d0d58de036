/**
 * The `almos` model: ALMOS-MKH's multi-cluster virtual memory manager (shared/spec/almos-mkh.md) on
 * the engine. `almos({ overrides })` builds it with any procedure replaced by a user variant (same
 * name, same locals contract), so one handler can be checked without forking mmcheck.
 * Configuration: `scenario` (a built-in name or scenario JSON text), `framesPerCluster` (0 = the
 * scenario's) and the knobs. `procedures` are the documented ones (and those only corrections call);
 * a configuration's table applies the corrections its knobs select (corrections/index.ts), except to
 * an overridden procedure: an override wins over a correction knob.
 */
import { UsageError } from '../../engine/errors.js';
import type { ConfigParam, Invariant, Model, Procedure, SystemState } from '../../engine/types.js';
import { correctionProcedures, withCorrections } from './corrections/index.js';
import { handleCow } from './cow.js';
import { handleCowG2 } from './cowG2.js';
import { sysExit } from './exit.js';
import { processMakeFork, rpcProcessMakeFork, threadUserFork } from './fork.js';
import { forkCopy, forkCopyRange } from './forkCopy.js';
import { getVseg, rpcVmmGetVseg } from './getVseg.js';
import { globalUpdatePte, rpcVmmGlobalUpdatePte } from './globalUpdatePte.js';
import { initialState } from './init.js';
import { almosInvariants } from './invariants/index.js';
import { defaultKnobs, type Knobs, knobParams } from './knobs.js';
import { lockProcedures } from './locks.js';
import { rpcVmmCreateVseg, sysMmap, vmmCreateVseg } from './mmap.js';
import { globalDeleteVseg, sysMunmap } from './munmap.js';
import { handlePageFault } from './pageFault.js';
import { handlePageFaultG2 } from './pageFaultG2.js';
import { ppmAllocPage, ppmFreePage, rpcPmemGetPages, rpcPmemReleasePages } from './ppm.js';
import { removeVseg, rpcVmmRemoveVseg } from './removeVseg.js';
import { rpcSend, rpcServer } from './rpc.js';
import { checkInitialFrames, parseScenario, type Scenario } from './scenario.js';
import { builtinScenarios } from './scenarios.js';
import { halGptSetCow, rpcVmmSetCow, setCow } from './setCow.js';
import type { AlmosShared } from './state.js';
import { mmuAccess, userMain } from './user.js';

type P = Procedure<AlmosShared>;
export type AlmosConfig = Knobs & { scenario: string; framesPerCluster: number };

/** Every procedure of the model, by kernel function name: the documented protocol. */
export const almosProcedures: readonly P[] = [
  userMain,
  mmuAccess,
  ...lockProcedures,
  rpcSend,
  rpcServer,
  ppmAllocPage,
  ppmFreePage,
  rpcPmemGetPages,
  rpcPmemReleasePages,
  getVseg,
  rpcVmmGetVseg,
  handlePageFault,
  handlePageFaultG2,
  handleCow,
  handleCowG2,
  globalUpdatePte,
  rpcVmmGlobalUpdatePte,
  processMakeFork,
  rpcProcessMakeFork,
  forkCopy,
  forkCopyRange,
  threadUserFork,
  setCow,
  rpcVmmSetCow,
  halGptSetCow,
  removeVseg,
  rpcVmmRemoveVseg,
  globalDeleteVseg,
  sysMunmap,
  sysMmap,
  vmmCreateVseg,
  rpcVmmCreateVseg,
  sysExit,
  ...correctionProcedures,
];

/** The documented table, by name (the objects corrections recognise as not overridden). */
const documented: { readonly [name: string]: P } = Object.fromEntries(
  almosProcedures.map((p) => [p.name, p]),
);

export function resolveScenario(text: string): Scenario {
  const builtin = builtinScenarios[text];
  if (builtin !== undefined && Object.hasOwn(builtinScenarios, text)) return builtin;
  if (!text.trimStart().startsWith('{')) {
    const name = text.length > 40 ? `${text.slice(0, 37)}...` : text;
    throw new UsageError(
      `unknown scenario '${name}' (built-in: ${Object.keys(builtinScenarios).join(', ')}; or JSON)`,
    );
  }
  return parseScenario(text);
}

const params: { readonly [K in keyof AlmosConfig]: ConfigParam } = {
  scenario: {
    type: 'text',
    doc: `built-in scenario (${Object.keys(builtinScenarios).join(', ')}) or scenario JSON`,
  },
  framesPerCluster: { type: 'int', min: 0, max: 64, doc: 'frames per cluster (0 = as the scenario says)' },
  ...knobParams,
};

export interface AlmosOptions {
  /**
   * Procedures replacing the model's own, by name (e.g. `{ handleCow: myHandleCow }`). An override is
   * used whatever the knobs say: a correction knob does not apply to an overridden procedure.
   */
  readonly overrides?: { readonly [name: string]: P };
  /** Extra invariants checked with the model's own. */
  readonly invariants?: readonly Invariant<AlmosShared>[];
}

export function almos(options: AlmosOptions = {}): Model<AlmosShared, AlmosConfig> {
  const procedures: { [name: string]: P } = { ...documented };
  for (const [name, p] of Object.entries(options.overrides ?? {})) {
    if (procedures[name] === undefined) throw new UsageError(`almos: no procedure '${name}' to override`);
    procedures[name] = { ...p, name };
  }
  return {
    name: 'almos',
    summary: 'ALMOS-MKH multi-cluster VMM: GPT copies, page faults, COW, fork, munmap (G1 r585 / G2 trunk)',
    params,
    defaultConfig: { scenario: 'default', framesPerCluster: 0, ...defaultKnobs },
    validate: (c) => {
      const sc = resolveScenario(c.scenario);
      if (c.framesPerCluster > 0) checkInitialFrames(sc, c.framesPerCluster);
    },
    init(c) {
      const sc = resolveScenario(c.scenario);
      const scenario = c.framesPerCluster > 0 ? { ...sc, framesPerCluster: c.framesPerCluster } : sc;
      return initialState(scenario, knobsOf(c));
    },
    procedures,
    proceduresFor: (c, table) => withCorrections(knobsOf(c), table, documented),
    invariants: () => [...almosInvariants, ...(options.invariants ?? [])],
    quiescent,
  };
}

const knobsOf = (c: AlmosConfig): Knobs => {
  const { scenario: _s, framesPerCluster: _f, ...knobs } = c;
  return knobs;
};

/**
 * Quiescent states (where the Q invariants are checked): no handler in progress — every user thread
 * is done or between two operations, every RPC server idle, every RPC FIFO empty.
 */
function quiescent(st: SystemState<AlmosShared>): boolean {
  for (const t of st.threads) {
    if (t.stack.length === 0) continue;
    if (t.stack.length > 1) return false;
    const top = t.stack[0] as { pc: string };
    if (t.daemon === true ? top.pc !== 'take' : top.pc !== 'next') return false;
  }
  return st.shared.rpc.every((q) => q.length === 0);
}

export const almosModel = almos();
