// Test runner configuration: the JSON report feeds the CI summary line (.ci/run). No test has a
// wall-clock limit near its running time: the limits are ten minutes, far above the slowest test
// (seconds on an idle 2-core machine), so a loaded machine runs slower but stays green. Performance
// targets live in the benchmarks (`npm run bench`), not in timed tests.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    reporters: ['default', ['json', { outputFile: '.test-results/vitest.json' }]],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: '.test-results/coverage',
    },
  },
});
