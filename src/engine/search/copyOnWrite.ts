/**
 * Copy-on-write successor states: a step's declared writes name the only parts of the shared state
 * it may change, so a successor copies the objects along those paths (shallow copies on the way, a
 * deep copy of each written object) and shares everything else with its parent. This is what makes
 * search on large kernel states affordable. Soundness rests on footprints over-approximating writes,
 * which every traced execution validates (executor.ts); a step without a footprint is fully copied.
 */
import type { Access } from '../types.js';
import { cloneValue } from '../value.js';

type Obj = Record<string, unknown>;

function shallow(o: object): Obj {
  return (Array.isArray(o) ? o.slice() : { ...o }) as Obj;
}

/** A copy of `root` in which every object on or below a written path is fresh. */
export function copyForWrites<T>(root: T, footprint: readonly Access[] | null): T {
  if (footprint === null || typeof root !== 'object' || root === null) return cloneValue(root);
  let out: Obj | null = null;
  // Objects copied so far (few per step: linear lists beat sets here).
  const fresh: unknown[] = [];
  const deep: unknown[] = [];
  for (const a of footprint) {
    if (!a.write || a.obj.charCodeAt(0) === 64 /* '@' */) continue;
    if (a.obj === '') return cloneValue(root);
    if (out === null) {
      out = shallow(root);
      fresh.push(out);
    }
    const keys = a.obj.split('.');
    let parent: Obj = out;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      const child = parent[k];
      if (typeof child !== 'object' || child === null || deep.includes(child)) break;
      if (i === keys.length - 1) {
        const copy = cloneValue(child);
        parent[k] = copy;
        deep.push(copy);
        break;
      }
      if (!fresh.includes(child)) {
        const copy = shallow(child);
        parent[k] = copy;
        fresh.push(copy);
      }
      parent = parent[k] as Obj;
    }
  }
  // A step that writes no shared object shares the whole shared state with its parent.
  return (out ?? root) as T;
}
