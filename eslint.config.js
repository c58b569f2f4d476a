import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { boundaries } from './tools/eslint/boundaries.js';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'web/dist/**', 'test/fixtures/init/**', '**/.slipway/**', 'coverage/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // web/src/**/*.tsx find web/tsconfig.json through the project service, like every other file its nearest tsconfig.
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { slipway: boundaries },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Named exports only (import cycles are checked by tools/check-cycles.js in `npm run lint`).
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
      'slipway/contexts': 'error',
      'no-console': 'error',
    },
  },
  {
    files: ['src/cli/**', 'test/**', 'bench/**', 'examples/**', 'tools/**', '**/*.test.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // The dashboard's build config is Node code with its own tsconfig (web/tsconfig.node.json), not part of web/tsconfig.json.
    files: ['web/vite.config.ts'],
    languageOptions: { parserOptions: { projectService: false, project: './web/tsconfig.node.json', tsconfigRootDir: import.meta.dirname } },
  },
  {
    // Config files are loaded by tools that expect a default export.
    files: ['*.config.ts', 'web/vite.config.ts', 'examples/**/slipway.config.ts', 'test/fixtures/**', '**/*.d.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly', fetch: 'readonly', AbortController: 'readonly', performance: 'readonly', structuredClone: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly' },
    },
    rules: { 'no-console': 'off' },
  },
);
