/**
 * Read-only views of the ALMOS state shared by the invariants (shared/spec/almos-mkh.md,
 * "Invariants"): every mapped PTE of every GPT copy, vseg lookup in a copy or the reference VSL, file
 * mapper pages, and the "thread is inside a kernel operation" test. Pure functions: invariants never write.
 * Dead processes (`alive == false`) are scanned like live ones: a copy that still exists can still be
 * used by a thread that has not been killed yet.
 */
import type { Thread } from '../../../engine/types.js';
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
 * Thread `t` is inside a kernel operation: a user thread in a system call or in the handler of an
 * exception (deeper than userMain, or than userMain + mmuAccess: the MMU itself is not the kernel), an
 * RPC server thread running a request's handler. A thread back at its user loop, at the MMU after its
 * handler returned, or done, is not.
 */
export function inKernel(t: Thread): boolean {
  const n = t.stack.length;
  if (t.daemon === true) return n >= 2;
  return n >= 3 || (n === 2 && (t.stack[1] as { proc: string }).proc !== 'mmuAccess');
}
