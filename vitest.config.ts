import { defineConfig } from 'vitest/config';

const include = ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'];
// Races (`*.race.test.ts`) assert how fast thousands of concurrent buyers are answered; they
// run after everything else, one file at a time, so other suites do not share their CPU.
const races = ['src/**/*.race.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores on the reference machine.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'main', include, exclude: races, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'races', include: races, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
