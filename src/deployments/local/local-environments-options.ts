import type { Clock, Db, EventLog, Logger } from '../../core/index.js';
import type { RouterClient } from '../../router/index.js';
import type { Supervisor } from '../../runtime/index.js';
import type { ResolvedApp } from '../../shared/index.js';
import type { SecretVersions } from '../secret-pins.js';
import type { ContainerImages } from './container-images.js';

/** Options of {@link LocalEnvironments}. */
export interface LocalEnvironmentsOptions {
  readonly app: ResolvedApp;
  readonly db: Db;
  readonly events: EventLog;
  readonly supervisor: Supervisor;
  readonly router: RouterClient;
  readonly clock: Clock;
  readonly logger?: Logger;
  /** OTLP/HTTP endpoint the tasks export to; without one their OpenTelemetry SDK is disabled. */
  readonly otlpEndpoint?: string;
  /** Time between deregistering a task and SIGTERM. @default 2000 */
  readonly drainMs?: number;
  /** Time between SIGTERM and SIGKILL of a task. @default 10000 */
  readonly stopTimeoutMs?: number;
  /** Where the current versions of secrets are read, for a revision started without pinned versions. @default none (a service that declares secrets cannot start) */
  readonly secrets?: SecretVersions;
  /** Images of services with `runtime: 'container'`. @default none (such a service cannot start) */
  readonly containers?: ContainerImages;
  /** Period of the routing safety-net sync. @default 500 */
  readonly syncIntervalMs?: number;
}
