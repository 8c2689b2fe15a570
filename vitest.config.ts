import { configDefaults, defineConfig } from 'vitest/config';

const BROWSER = 'test/browser/**/*.test.ts';

export default defineConfig({
  test: {
    globalSetup: ['./test/global-setup.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Each file gets its own cloned database, so files may run in parallel. The unit and
    // HTTP files run first, two at a time; then the browser journeys, one at a time (two
    // Chromiums on two cores make their waits flaky). One cluster serves both.
    fileParallelism: true,
    projects: [
      {
        extends: true,
        test: {
          name: 'http',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'seeds/**/*.test.ts'],
          exclude: [...configDefaults.exclude, BROWSER],
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: { name: 'browser', include: [BROWSER], maxWorkers: 1, sequence: { groupOrder: 2 } },
      },
    ],
  },
});
