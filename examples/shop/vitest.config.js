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
    hookTimeout: 60_000,
  },
});
