import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds one small warehouse from a generated sample, builds the dashboard and
    // serves both; tests read the URL and paths with inject().
    globalSetup: ['test/setup/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    // Two cores: files that run dbt would only fight over them.
    fileParallelism: false,
  },
});
