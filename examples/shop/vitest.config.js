// Lets the shop's tests run on their own (`npm test` or buildspec.test.yml in
// this folder); from the slipway root they run with the root config.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.js'],
    exclude: ['**/node_modules/**'],
    // better-sqlite3 is a native addon; forks isolate it cleanly per file.
    pool: 'forks',
    testTimeout: 30_000,
    // `vitest run --coverage` (buildspec.test.yml) writes Cobertura XML, which the
    // pipeline reads as a CODECOVERAGE report.
    coverage: {
      provider: 'v8',
      include: ['services/**/*.js', 'lib/**/*.js'],
      exclude: ['**/*.test.js'],
      reporter: ['cobertura'],
      reportsDirectory: 'reports/coverage',
    },
    hookTimeout: 60_000,
  },
});
