export { buildServer, type BuildServerOptions, type RoutesPlugin } from './build-server.js';
export { startControlPlane, packageVersion, type ControlPlane, type ControlPlaneOptions, type ServerRecord, type TokenSource } from './control-plane.js';
export type { AutoscalingTiming } from './local-runtime.js';
export { errorBody } from './error-handler.js';
export type { StatusContributor } from './routes/status.js';
