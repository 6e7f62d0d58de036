/**
 * src/hw/memory.ts: frame allocation scans only the cluster's PPN range, claim zero-fills (or copies
 * the given content), release frees the descriptor, footprint paths, word access.
 */
import { describe, expect, it } from 'vitest';
import { ppnHome } from '../../src/hw/ids.js';
import {
  claimFrame,
  clusterFramePaths,
  firstFreeFrame,
  frameHome,
  newPhysicalMemory,
  readWord,
  releaseFrame,
  writeWord,
} from '../../src/hw/memory.js';

/** 3 clusters x 2 frames x 4 words. */
const machine = () => newPhysicalMemory(3, 2, 4);

describe('hw/memory', () => {
  it('starts with every frame free and zero-filled', () => {
    const m = machine();
    expect(m.page).toHaveLength(6);
    expect(m.mem).toHaveLength(6);
    for (const p of m.page) expect(p).toEqual({ free: true, forks: 0, refcount: 0, lock: -1 });
    for (const f of m.mem) expect(f).toEqual([0, 0, 0, 0]);
    expect(m.mem[0]).not.toBe(m.mem[1]);
  });

  it('frameHome is the cluster of the PPN range (ppnHome)', () => {
    expect([0, 1, 2, 3, 4, 5].map((p) => frameHome(p, 2))).toEqual([0, 0, 1, 1, 2, 2]);
    expect(frameHome).toBe(ppnHome);
  });

  it('firstFreeFrame scans only the frames of the given cluster, lowest first', () => {
    const m = machine();
    expect(firstFreeFrame(m, 1)).toBe(2);
    claimFrame(m, 2);
    expect(firstFreeFrame(m, 1)).toBe(3);
    claimFrame(m, 3);
    // Cluster 1 is full although clusters 0 and 2 have free frames.
    expect(firstFreeFrame(m, 1)).toBe(-1);
    expect(firstFreeFrame(m, 0)).toBe(0);
    expect(firstFreeFrame(m, 2)).toBe(4);
  });

  it('claimFrame marks the frame allocated with a fresh descriptor and zero-fills it', () => {
    const m = machine();
    m.mem[4] = [7, 8, 9, 10];
    m.page[4] = { free: true, forks: 3, refcount: 2, lock: 5 };
    claimFrame(m, 4);
    expect(m.page[4]).toEqual({ free: false, forks: 0, refcount: 0, lock: -1 });
    expect(m.mem[4]).toEqual([0, 0, 0, 0]);
    expect(firstFreeFrame(m, 2)).toBe(5);
  });

  it('claimFrame with content copies it', () => {
    const m = machine();
    const content = [1, 2, 3, 4];
    claimFrame(m, 1, content);
    expect(m.mem[1]).toEqual([1, 2, 3, 4]);
    content[0] = 99;
    expect(m.mem[1]).toEqual([1, 2, 3, 4]);
  });

  it('releaseFrame frees the descriptor and leaves the content; the next claim zero-fills', () => {
    const m = machine();
    claimFrame(m, 0);
    (m.page[0] as { refcount: number }).refcount = 2;
    writeWord(m, 0, 1, 42);
    releaseFrame(m, 0);
    expect(m.page[0]).toEqual({ free: true, forks: 0, refcount: 0, lock: -1 });
    expect(readWord(m, 0, 1)).toBe(42);
    expect(firstFreeFrame(m, 0)).toBe(0);
    claimFrame(m, 0);
    expect(readWord(m, 0, 1)).toBe(0);
  });

  it('clusterFramePaths names the descriptors of one cluster', () => {
    const m = machine();
    expect(clusterFramePaths(m, 0)).toEqual(['page.0', 'page.1']);
    expect(clusterFramePaths(m, 2)).toEqual(['page.4', 'page.5']);
  });

  it('readWord / writeWord access one word of one frame', () => {
    const m = machine();
    writeWord(m, 3, 2, 17);
    expect(readWord(m, 3, 2)).toBe(17);
    expect(m.mem[3]).toEqual([0, 0, 17, 0]);
    expect(readWord(m, 2, 2)).toBe(0);
  });
});
