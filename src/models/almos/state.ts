/**
 * The ALMOS-MKH state as plain data (shared/spec/almos-mkh.md): physical memory and page descriptors
 * per cluster, processes with a reference cluster and per-cluster copies (VSL + GPT + their locks),
 * kernel thread descriptors, RPC FIFOs, and ghost state for the invariants and the refinement check.
 * Footprint paths name these fields: `page.<ppn>`, `mem.<ppn>`, `proc.<pid>.copy.<cxy>.gpt.<vpn>`,
 * `proc.<pid>.copy.<cxy>.gptLock`, `rpc.<cxy>`, `rpcs.<id>`, `ghost.<field>`.
 */
import type { AbstractMemory } from '../../../spec/memory.js';
import type { PageDesc, PhysicalMemory } from '../../hw/memory.js';
import type { Pte } from '../../hw/pte.js';
import type { Rpc as HwRpc } from '../../hw/rpcFifo.js';
import type { Knobs } from './knobs.js';

export type VsegType = 'CODE' | 'STACK' | 'DATA' | 'ANON' | 'REMOTE' | 'FILE';
export const PUBLIC_TYPES: readonly VsegType[] = ['DATA', 'ANON', 'REMOTE', 'FILE'];
export const isPublic = (t: VsegType): boolean => t !== 'CODE' && t !== 'STACK';
/** Anonymous types: pages allocated for the vseg (not a file mapper's). */
export const isAnonymous = (t: VsegType): boolean =>
  t === 'DATA' || t === 'ANON' || t === 'REMOTE' || t === 'STACK';

/** A type alias, not an interface: plain data, so a vseg is a `Value` (a frame local, a result). */
export type Vseg = {
  type: VsegType;
  /** First virtual page and number of pages. */
  base: number;
  size: number;
  /** Placement cluster: ANON/REMOTE pages, STACK owner cluster; -1 otherwise. */
  cxy: number;
  writable: boolean;
  executable: boolean;
  /** FILE and CODE: index in `files` (the mapper); -1 otherwise. */
  file: number;
};

/** remote_rwlock: readers (ghost identities; the kernel keeps a count), writer or -1, FIFO queues. */
export interface RwLock {
  readers: number[];
  writer: number;
  rq: number[];
  wq: number[];
}

/** remote_queuelock (G2 VSL lock): a blocking mutex with a FIFO queue. */
export interface QueueLock {
  holder: number;
  wq: number[];
}

export interface Copy {
  vsl: Vseg[];
  /** Sparse GPT: vpn -> PTE; absent = unmapped. */
  gpt: { [vpn: string]: Pte };
  /** G1 gpt_lock. */
  gptLock: RwLock;
  /** G1: rwlock (vsegs_lock); G2: queuelock. */
  vslLock: RwLock | QueueLock;
  /**
   * Reference copy only, knob `munmapProtocol = detachFirst` (vsegDeleting.ts): bases of the vsegs a
   * munmap is deleting; absent = none.
   */
  deleting?: number[];
}

export interface Process {
  pid: number;
  /** Reference cluster: complete VSL and GPT of public vsegs. */
  ref: number;
  /** Owner cluster (keeps the copies list). */
  owner: number;
  parent: number;
  /** The owner's list of copies (clusters), in list order; global operations walk it. */
  copies: number[];
  /** Copy per cluster, or null. */
  copy: Array<Copy | null>;
  alive: boolean;
}

/** The page descriptor is hardware data (src/hw/memory.ts); re-exported for the model's users. */
export type { PageDesc };

/** Kernel thread descriptor: user threads belong to a process; RPC servers have pid -1. */
export interface ThreadDesc {
  pid: number;
  cxy: number;
  core: number;
  /** STACK vseg base of this thread (-1 when it has none). */
  stack: number;
  /**
   * User threads: inside a user operation (set by userMain when it starts one, cleared at the next
   * operation boundary; absent = false). sysExit waits for it to clear on every other thread of the
   * process: the acknowledgement of process_sigaction(BLOCK).
   */
  inOp?: boolean;
}

export type RpcKind =
  | 'GET_VSEG'
  | 'PMEM_GET_PAGES'
  | 'PMEM_RELEASE_PAGES'
  | 'GLOBAL_UPDATE_PTE'
  | 'SET_COW'
  | 'MAKE_FORK'
  | 'REMOVE_VSEG'
  | 'CREATE_VSEG';

/** An ALMOS RPC descriptor: the hardware one (src/hw/rpcFifo.ts) narrowed to the ALMOS kinds and results. */
export interface Rpc extends HwRpc {
  kind: RpcKind;
  result: number | Vseg | null;
}

/** A file mapper: pages in the file's cluster (FILE vsegs map them; CODE copies from them). */
export interface FileMapper {
  cxy: number;
  pages: number[];
}

/** Why a thread holds a page (ghost.ts): fresh from the allocator, reset out of a PTE, the old COW page. */
export type HoldReason = 'allocated' | 'unmapped' | 'cowOld';

/** One holder of a page in `Ghost.held`: the thread (index of `thread`) and why it holds it. */
export interface HeldPage {
  tid: number;
  why: HoldReason;
}

/** Ghost records for the invariants (ghost.ts says who writes each one). */
export interface Ghost {
  /** The first kernel panic or failed kernel assertion, or a USER_ERROR on a legal access (noKernelPanic). */
  panic: string | null;
  /** ppn -> the threads holding the page (noUseAfterFree: a page may be unmapped only while held). */
  held: { [ppn: string]: HeldPage[] };
  /** ppn -> refcount minus the PTEs mapping it, while a handler is between the two halves of a change. */
  refcountPending: { [ppn: string]: number };
  /**
   * User threads whose current operation saw an mmap of their process complete (spec.mapDone), until
   * their next operation boundary: a USER_ERROR they get may be legal at an earlier instant.
   */
  mapDoneInOp: number[];
  /** The abstract memory the user-visible effects must refine. */
  spec: AbstractMemory;
  /** First refinement failure, reported by the `refinement` invariant. */
  refinement: string | null;
  nextRpc: number;
}

/**
 * The physical memory (`clusters`, `framesPerCluster`, `wordsPerPage`, `mem`, `page`: src/hw/memory.ts)
 * sits at the root, so its footprint paths are `mem.<ppn>` and `page.<ppn>`.
 */
export interface AlmosShared extends PhysicalMemory {
  /** Constant during a run. */
  knobs: Knobs;
  files: FileMapper[];
  proc: Process[];
  thread: ThreadDesc[];
  /** RPC FIFO per cluster: request ids, oldest first (src/hw/rpcFifo.ts). */
  rpc: number[][];
  /** RPC server threads per cluster, and how many of them wait for a request. */
  rpcServers: number[];
  rpcIdle: number[];
  /** RPC descriptors by id (in the client's stack in the kernel). */
  rpcs: { [id: string]: Rpc };
  ghost: Ghost;
}
