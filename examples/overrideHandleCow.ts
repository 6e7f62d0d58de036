/**
 * Example (README): checking your own variant of one ALMOS handler with `almos({ overrides })`.
 * The variant below changes one step of handleCow (G1): it ignores `forks` and always reuses the page
 * in place — a plausible "optimisation" that breaks copy-on-write. Exhaustive search on the built-in
 * `fork` scenario shows how.
 */
import { Instance } from '../src/engine/instance.js';
import { defaultSearchOptions, search } from '../src/engine/search/index.js';
import { call } from '../src/engine/types.js';
import { handleCow } from '../src/models/almos/cow.js';
import { almos } from '../src/models/almos/model.js';

export const reuseAlwaysHandleCow: typeof handleCow = {
  ...handleCow,
  steps: {
    ...handleCow.steps,
    // Same footprint and locals contract as the original step; only the decision differs.
    readForks: {
      ...handleCow.steps.readForks,
      run(_s, f) {
        f.locals.ppn = (f.locals.old as { ppn: number }).ppn;
        return call('busylockRelease', { lock: `page.${f.locals.ppn}.lock` }, 'update');
      },
    },
  },
} as typeof handleCow;

/**
 * The fork with its window closed (docs/findings.md F4: the documented fork alone already violates
 * noWritableSharing), so that what search finds is the variant's own bug.
 */
export const forkWindowClosed = {
  generation: 'G1',
  forkHoldsGptLock: true,
  forkProtectsParentFirst: true,
} as const;

export function checkVariant() {
  const model = almos({ overrides: { handleCow: reuseAlwaysHandleCow } });
  const inst = new Instance(model, { ...model.defaultConfig, scenario: 'fork', ...forkWindowClosed });
  return search(inst, { ...defaultSearchOptions, strategy: 'bfs' });
}
