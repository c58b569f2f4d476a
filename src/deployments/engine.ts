import { silentLogger, type Clock, type Db, type EventLog, type Logger } from '../core/index.js';
import type { RouterClient } from '../router/index.js';
import type { AlarmSource } from './alarms/alarm-source.js';
import { EventLogAlarmSource } from './alarms/event-log-alarm-source.js';
import { deploymentRoutes } from './deployment-routes.js';
import type { LocalEnvironments } from './local-environments.js';
import { Reconciler } from './reconciler.js';
import { DeploymentRecorder } from './recorder.js';
import { DeploymentService } from './service.js';
import { StepActions } from './step-actions.js';
import { DeployLogStore } from './store/deploy-log-store.js';
import { DeploymentStore } from './store/deployment-store.js';

/** Options of {@link createDeploymentEngine}. */
export interface DeploymentEngineOptions {
  readonly environments: LocalEnvironments;
  readonly router: RouterClient;
  readonly db: Db;
  readonly events: EventLog;
  readonly clock: Clock;
  /** The app's directory: default source of a deployment, working directory of command hooks. */
  readonly appDir: string;
  /** Where alarm states come from. @default the `alarm.state.changed` events of the log */
  readonly alarms?: AlarmSource;
  readonly logger?: Logger;
  /** Time a start or scale-out step may take before the new revision counts as unhealthy. @default 60000 */
  readonly healthDeadlineMs?: number;
  /** Failed tasks in a row of the new revision that roll the deployment back. @default 3 */
  readonly crashLimit?: number;
}

/** The deploy engine as the composition root holds it. */
export interface DeploymentEngine {
  readonly service: DeploymentService;
  readonly reconciler: Reconciler;
  readonly routes: ReturnType<typeof deploymentRoutes>;
  /** Stops ticking and watching alarms (deployments stay persisted; the next start resumes them). */
  close(): Promise<void>;
}

/** Builds the deploy engine over the local environments. Call `service.resumeAll()` once the data plane is up. */
export function createDeploymentEngine(o: DeploymentEngineOptions): DeploymentEngine {
  const store = new DeploymentStore(o.db);
  const logs = new DeployLogStore(o.db);
  const recorder = new DeploymentRecorder(store, o.events, o.clock);
  const ownAlarms = o.alarms ? undefined : new EventLogAlarmSource(o.events);
  const alarms = o.alarms ?? ownAlarms!;
  const app = o.environments.app;
  const actions = new StepActions({ app, environments: o.environments, router: o.router, recorder, logs, clock: o.clock, appDir: o.appDir });
  const reconciler = new Reconciler({
    app,
    store,
    environments: o.environments,
    actions,
    recorder,
    events: o.events,
    alarms,
    clock: o.clock,
    logger: o.logger ?? silentLogger,
    healthDeadlineMs: o.healthDeadlineMs,
    crashLimit: o.crashLimit,
  });
  const service = new DeploymentService({ app, environments: o.environments, store, logs, recorder, reconciler, clock: o.clock, appDir: o.appDir });
  return {
    service,
    reconciler,
    routes: deploymentRoutes(service),
    async close() {
      ownAlarms?.close();
      await reconciler.close();
    },
  };
}
