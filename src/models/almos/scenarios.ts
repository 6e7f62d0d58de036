/**
 * Built-in scenarios, in the same JSON format users write (`--scenario FILE`); the manifest rows use
 * them by name. One file per family under scenarios/; `default` (the tour of every mechanism that
 * `explore` runs when no scenario is named) comes first.
 */
import type { Scenario } from './scenario.js';
import { basicScenarios } from './scenarios/basic.js';
import { cowScenarios } from './scenarios/cow.js';
import { defaultScenario } from './scenarios/default.js';
import { forkScenarios } from './scenarios/fork.js';
import { getVsegScenarios } from './scenarios/getVseg.js';
import { munmapScenarios } from './scenarios/munmap.js';

export const builtinScenarios: { readonly [name: string]: Scenario } = {
  default: defaultScenario,
  ...basicScenarios,
  ...forkScenarios,
  ...cowScenarios,
  ...munmapScenarios,
  ...getVsegScenarios,
};
