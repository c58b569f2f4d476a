// The isomorphic surface of slipway: the app model, API schemas, the error catalog and the event catalog.
// No node:* imports here: the dashboard imports this module too.
export * from './errors/index.js';
export * from './validation/index.js';
export * from './api/index.js';
export * from './app-model/index.js';
export * from './events/index.js';
export * from './metric-math/index.js';
