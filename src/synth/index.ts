// Synthesizers: the resolved app model as infrastructure code.
export * from './aws/index.js';
