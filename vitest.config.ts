import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['./test/global-setup.ts'],
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'seeds/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Each file gets its own cloned database, so files may run in parallel.
    fileParallelism: true,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
