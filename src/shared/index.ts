// The isomorphic surface of slipway: the app model, API schemas and the error catalog.
// No node:* imports here: the dashboard imports this module too.
export * from './errors/index.js';
export * from './validation/index.js';
export * from './api/index.js';
export * from './app-model/index.js';
