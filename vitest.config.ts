import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds one small warehouse from a generated sample, builds the dashboard and
    // serves both; tests read the URL and paths with inject().
    globalSetup: ['test/setup/global-setup.ts'],
    // Tests check behaviour, never speed (npm run bench measures time). Several tests
    // rebuild a warehouse; on a busy two-core machine that can take many minutes, so a
    // test is only cut off when it has clearly hung.
    testTimeout: 900_000,
    hookTimeout: 1_200_000,
    // Two cores: files that run dbt would only fight over them.
    fileParallelism: false,
  },
});
