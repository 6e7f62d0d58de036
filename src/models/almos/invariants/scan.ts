/**
 * Read-only views of the ALMOS state shared by the invariants (shared/spec/almos-mkh.md,
 * "Invariants"): every mapped PTE of every GPT copy, vseg lookup in a copy or the reference VSL, file
 * mapper pages, and the "a handler is in progress" test. Pure functions: invariants never write.
 * Dead processes (`alive == false`) are scanned like live ones: a copy that still exists can still be
 * used by a thread that has not been killed yet.
 */
import type { SystemState } from '../../../engine/types.js';
import { formatAttr, isMapped, type Pte } from '../../../hw/pte.js';
import type { AlmosShared, Copy, Vseg } from '../state.js';
import { findVseg } from '../util.js';

/** One mapped entry of one GPT copy. */
export interface Mapping {
  pid: number;
  cxy: number;
  vpn: number;
  pte: Pte;
}

/** Every mapped PTE of every existing copy, by process, then cluster, then vpn. */
export function mappings(s: AlmosShared): Mapping[] {
  const out: Mapping[] = [];
  s.proc.forEach((p, pid) => {
    p.copy.forEach((c, cxy) => {
      if (c === null) return;
      for (const [k, pte] of Object.entries(c.gpt)) {
        if (isMapped(pte)) out.push({ pid, cxy, vpn: Number(k), pte });
      }
    });
  });
  return out;
}

/** The reference copy of process `pid`, or null once it has been destroyed. */
export function refCopy(s: AlmosShared, pid: number): Copy | null {
  const p = s.proc[pid];
  return p === undefined ? null : (p.copy[p.ref] ?? null);
}

/** The vseg of process `pid` containing `vpn` in the VSL of cluster `cxy`'s copy. */
export function vsegIn(s: AlmosShared, pid: number, cxy: number, vpn: number): Vseg | undefined {
  const c = s.proc[pid]?.copy[cxy];
  return c ? findVseg(c.vsl, vpn) : undefined;
}

/** The vseg containing `vpn` in the reference VSL of process `pid`. */
export function refVseg(s: AlmosShared, pid: number, vpn: number): Vseg | undefined {
  const c = refCopy(s, pid);
  return c ? findVseg(c.vsl, vpn) : undefined;
}

/** Pages of the file mappers (FILE vsegs map them; never allocated or freed by the VMM). */
export function mapperPages(s: AlmosShared): Set<number> {
  return new Set(s.files.flatMap((f) => f.pages));
}

/** `P0 c1 vpn 3 -> ppn 12 (MSRWCU)`: the PTE named in violation messages. */
export function showMapping(m: Mapping): string {
  return `P${m.pid} c${m.cxy} vpn ${m.vpn} -> ppn ${m.pte.ppn} (${formatAttr(m.pte.attr)})`;
}

/**
 * A handler is in progress: some thread is inside a kernel operation or an RPC is queued. This is
 * the negation of the model's quiescent() (model.ts): user threads between two operations, RPC
 * servers idle, RPC FIFOs empty.
 */
export function handlerInProgress(st: SystemState<AlmosShared>): boolean {
  for (const t of st.threads) {
    if (t.stack.length === 0) continue;
    if (t.stack.length > 1) return true;
    const pc = (t.stack[0] as { pc: string }).pc;
    if (t.daemon === true ? pc !== 'take' : pc !== 'next') return true;
  }
  return st.shared.rpc.some((q) => q.length > 0);
}
