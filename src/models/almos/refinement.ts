/**
 * The refinement hook: every user-visible effect is checked against the abstract memory
 * (spec/memory.ts) at the step that makes it, and the abstract memory advances with it. A mismatch is
 * recorded in `ghost.refinement` for the `refinement` invariant (first one wins). A load must return a
 * value of the word in one of the process's candidate memories and keeps only those candidates: a
 * forked child's loads together must agree with one instant of its parent's memory during the fork
 * (a value another instant allows is a mismatch: "allows" lists what the remaining candidates hold).
 * A store is applied to every candidate, and a parent's store during a fork adds an instant to the
 * child (hence the footprint: the process, the children it is forking, the files).
 */
import * as spec from '../../../spec/memory.js';
import type { Access } from '../../engine/types.js';
import type { AlmosShared } from './state.js';
import { w } from './util.js';

export type AccessOutcome =
  | { kind: 'value'; value: number }
  | { kind: 'stored' }
  | { kind: 'fault'; why: string };

function report(s: AlmosShared, message: string): void {
  if (s.ghost.refinement === null) s.ghost.refinement = message;
}

/** Checks one user access by process `pid` and advances the abstract memory. */
export function checkAccess(
  s: AlmosShared,
  pid: number,
  va: number,
  write: boolean,
  value: number,
  outcome: AccessOutcome,
): void {
  const vpn = Math.floor(va / s.wordsPerPage);
  const offset = va % s.wordsPerPage;
  const e = spec.expect(s.ghost.spec, pid, vpn, offset, write);
  const what = `P${pid} ${write ? `store ${value} to` : 'load from'} va ${va}`;
  if (outcome.kind === 'fault') {
    if (e.kind === 'value') report(s, `${what}: ${outcome.why}, but the abstract memory maps it`);
    return;
  }
  if (e.kind === 'fault') {
    report(s, `${what} succeeded, but the abstract memory says it must fault`);
    return;
  }
  if (outcome.kind === 'stored') {
    spec.store(s.ghost.spec, pid, vpn, offset, value);
    return;
  }
  if (!e.allowed.includes(outcome.value)) {
    report(s, `${what} returned ${outcome.value}, the abstract memory allows ${JSON.stringify(e.allowed)}`);
    return;
  }
  spec.observe(s.ghost.spec, pid, vpn, offset, outcome.value);
}

/** Footprint of a checked access: the abstract memory of the process, its fork children and files. */
export function accessFootprint(s: AlmosShared, pid: number): Access[] {
  const out = [w(`ghost.spec.procs.${pid}`), w('ghost.spec.files'), w('ghost.refinement')];
  for (const child of s.ghost.spec.procs[pid]?.forking ?? []) out.push(w(`ghost.spec.procs.${child}`));
  return out;
}
