// Synthesizers: the resolved app model as infrastructure code.
export * from './aws/index.js';
export * from './k8s/index.js';
