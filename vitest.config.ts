import { defineConfig } from 'vitest/config';

const unit = ['src/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/security/**/*.test.ts', 'examples/**/*.test.ts', 'examples/**/*.test.js'];
const system = ['test/reliability/**/*.test.ts', 'test/e2e/**/*.test.ts'];

export default defineConfig({
  test: {
    exclude: ['**/node_modules/**', '**/dist/**', '**/.slipway/**'],
    // better-sqlite3 is a native addon; forks isolate it cleanly per file.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: unit } },
      // Real processes under load: one file at a time, so their timings and counts are not
      // disturbed by the rest of the suite running on the same two cores.
      { extends: true, test: { name: 'system', include: system, fileParallelism: false } },
    ],
  },
});
