// Deployments: revisions of services, traffic between them, and (next) the deployment engine.
export { LocalEnvironments, serviceSubject, type LocalEnvironmentsOptions, type StartRevisionRequest, type EnvironmentStatus } from './local-environments.js';
export { deploymentMigrations } from './store/migrations.js';
export { RevisionStore, type ServiceRevision } from './store/revision-store.js';
export { TrafficController, type TrafficControllerOptions, type SyncResult } from './traffic/traffic-controller.js';
export { buildRoutingTable, targetGroupId, type EnvironmentRouting, type RevisionWeight, type RoutableTask } from './traffic/routing-table.js';
export { environmentRoutes } from './routes.js';
