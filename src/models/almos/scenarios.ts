/**
 * Built-in scenarios, in the same JSON format users write (`--scenario FILE`); the manifest rows use
 * them by name. One file per family under scenarios/.
 */
import type { Scenario } from './scenario.js';
import { basicScenarios } from './scenarios/basic.js';
import { cowScenarios } from './scenarios/cow.js';
import { forkScenarios } from './scenarios/fork.js';
import { getVsegScenarios } from './scenarios/getVseg.js';
import { munmapScenarios } from './scenarios/munmap.js';

export const builtinScenarios: { readonly [name: string]: Scenario } = {
  ...basicScenarios,
  ...forkScenarios,
  ...cowScenarios,
  ...munmapScenarios,
  ...getVsegScenarios,
};
