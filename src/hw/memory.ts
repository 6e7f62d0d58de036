/**
 * Physical memory of the machine: every cluster holds `framesPerCluster` frames of `wordsPerPage`
 * words, and one page descriptor per frame. Frames are numbered globally by PPN
 * (`ppn = cxy * framesPerCluster + index`, see ids.ts), so a frame's home cluster is `frameHome(ppn)`.
 *
 * Contract: pure functions on plain data (no steps, no footprints of their own); a kernel model wraps
 * them in its atomic steps and declares the accesses. Footprint paths of a state that embeds this
 * shape at its root: `page.<ppn>` (a descriptor), `mem.<ppn>` (a frame's content).
 * - `firstFreeFrame` scans only the frames of the given cluster, lowest PPN first; -1 when none is free.
 * - `claimFrame` marks a frame allocated with a fresh descriptor (no forks, refcount 0, unlocked) and
 *   zero-fills its content (or copies `content` when given).
 * - `releaseFrame` marks a frame free with a fresh descriptor; its content is left as is (stale until
 *   the next claim zero-fills it).
 * - `readWord` / `writeWord` access one word of a frame, local or remote alike (remote memory access).
 */
import { ppnHome } from './ids.js';

/**
 * A page descriptor. `free` is the allocator's bit; `forks`, `refcount` and `lock` are the kernel's
 * page descriptor fields (pending COW forks, mappings count, busylock holder thread or -1), stored
 * with the descriptor in the page's home cluster.
 */
export interface PageDesc {
  free: boolean;
  /** Pending forks: extra holders sharing the page in COW mode. */
  forks: number;
  refcount: number;
  /** busylock protecting `forks`: holder thread or -1. */
  lock: number;
}

/** The physical memory of all clusters: frame contents and page descriptors, by PPN. */
export interface PhysicalMemory {
  clusters: number;
  framesPerCluster: number;
  wordsPerPage: number;
  /** Frame contents, by PPN. */
  mem: number[][];
  page: PageDesc[];
}

/** The home cluster of a frame (where its descriptor lives); the same as ids.ts `ppnHome`. */
export const frameHome = ppnHome;

const freeDesc = (): PageDesc => ({ free: true, forks: 0, refcount: 0, lock: -1 });
const usedDesc = (): PageDesc => ({ free: false, forks: 0, refcount: 0, lock: -1 });

/** A machine with every frame free and zero-filled. */
export function newPhysicalMemory(
  clusters: number,
  framesPerCluster: number,
  wordsPerPage: number,
): PhysicalMemory {
  const frames = clusters * framesPerCluster;
  return {
    clusters,
    framesPerCluster,
    wordsPerPage,
    mem: Array.from({ length: frames }, () => new Array(wordsPerPage).fill(0)),
    page: Array.from({ length: frames }, freeDesc),
  };
}

/** The lowest free PPN of cluster `cxy`, or -1 when every frame of the cluster is allocated. */
export function firstFreeFrame(m: PhysicalMemory, cxy: number): number {
  for (let i = 0; i < m.framesPerCluster; i++) {
    const ppn = cxy * m.framesPerCluster + i;
    if ((m.page[ppn] as PageDesc).free) return ppn;
  }
  return -1;
}

/** Marks `ppn` allocated (fresh descriptor) and fills it with zeros, or with a copy of `content`. */
export function claimFrame(m: PhysicalMemory, ppn: number, content?: readonly number[]): void {
  m.page[ppn] = usedDesc();
  m.mem[ppn] = content === undefined ? new Array(m.wordsPerPage).fill(0) : [...content];
}

/** Marks `ppn` free (fresh descriptor); the content is not cleared. */
export function releaseFrame(m: PhysicalMemory, ppn: number): void {
  m.page[ppn] = freeDesc();
}

/** Footprint paths of every page descriptor of cluster `cxy` (what the allocator scans). */
export function clusterFramePaths(m: PhysicalMemory, cxy: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < m.framesPerCluster; i++) out.push(`page.${cxy * m.framesPerCluster + i}`);
  return out;
}

/** Word `offset` of frame `ppn`. */
export function readWord(m: PhysicalMemory, ppn: number, offset: number): number {
  return (m.mem[ppn] as number[])[offset] as number;
}

/** Stores `value` at word `offset` of frame `ppn`. */
export function writeWord(m: PhysicalMemory, ppn: number, offset: number, value: number): void {
  (m.mem[ppn] as number[])[offset] = value;
}
