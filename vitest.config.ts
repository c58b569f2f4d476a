import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'examples/**/*.test.ts', 'examples/**/*.test.js'],
    exclude: ['**/node_modules/**', '**/dist/**', '**/.slipway/**'],
    // better-sqlite3 is a native addon; forks isolate it cleanly per file.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
