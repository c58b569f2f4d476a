// The public package entry: what `import { defineApp } from 'slipway'` sees.
export * from './shared/index.js';
