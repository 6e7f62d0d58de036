/** Exhaustive search entry point: BFS (shortest counterexample) or DFS (optionally with POR). */
import type { Instance } from '../instance.js';
import { bfs } from './bfs.js';
import { dfs } from './dfs.js';
import type { SearchOptions, SearchResult } from './types.js';

export type { SearchOptions, SearchResult } from './types.js';
export { defaultSearchOptions } from './types.js';

export function search<S>(inst: Instance<S>, opts: SearchOptions): SearchResult {
  return opts.strategy === 'bfs' ? bfs(inst, opts) : dfs(inst, opts);
}
