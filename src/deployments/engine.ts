import { silentLogger, type Clock, type Db, type EventLog, type Logger } from '../core/index.js';
import type { ResolvedApp } from '../shared/index.js';
import type { AlarmSource } from './alarms/alarm-source.js';
import { EventLogAlarmSource } from './alarms/event-log-alarm-source.js';
import type { MetricProvider } from './analysis/metric-provider.js';
import { deploymentRoutes } from './deployment-routes.js';
import { flagRolloutRoutes } from './flag-rollouts/flag-rollout-routes.js';
import { FlagRollouts } from './flag-rollouts/flag-rollouts.js';
import type { FlagRolloutTarget } from './flag-rollouts/model.js';
import { Reconciler } from './reconciler.js';
import { DeploymentRecorder } from './recorder.js';
import { DeploymentService } from './service.js';
import { StepActions } from './step-actions.js';
import { DeployLogStore } from './store/deploy-log-store.js';
import { DeploymentStore } from './store/deployment-store.js';
import type { SecretVersions } from './secret-pins.js';
import type { ShadowTarget } from './target/shadow-target.js';
import type { TrafficTarget } from './target/traffic-target.js';

/** Options of {@link createDeploymentEngine}. */
export interface DeploymentEngineOptions {
  readonly app: ResolvedApp;
  /** What carries the services' traffic (locally: `LocalEnvironments`, the router and the supervisor). */
  readonly target: TrafficTarget;
  /** Where canary analysis reads its metrics (locally: the router's client). */
  readonly metrics: MetricProvider;
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
  /** Where the current versions of the services' secrets are read (a deployment pins them). @default none */
  readonly secrets?: SecretVersions;
  /** Where shadow steps mirror requests and read the comparison (locally: `LocalEnvironments`). @default none (strategies with a shadow step are refused) */
  readonly shadow?: ShadowTarget;
  /** The flag store, whose flags the engine rolls out like deployments (`FlagStore` of the flags context). @default no flag rollouts */
  readonly flags?: FlagRolloutTarget;
}

/** The deploy engine as the composition root holds it. */
export interface DeploymentEngine {
  readonly service: DeploymentService;
  readonly reconciler: Reconciler;
  readonly routes: ReturnType<typeof deploymentRoutes>;
  /** Flag changes rolled out in steps and reverted by the same alarms; undefined without `flags`. */
  readonly flagRollouts: FlagRollouts | undefined;
  /** The flag rollouts API (`/api/v1/flags/:env/:key/rollouts`, `/api/v1/flag-rollouts…`); registers nothing without `flags`. */
  readonly flagRoutes: ReturnType<typeof flagRolloutRoutes>;
  /** Stops ticking and watching alarms (deployments stay persisted; the next start resumes them). */
  close(): Promise<void>;
}

/** Builds the deploy engine over a traffic target. Call `service.resumeAll()` once the data plane is up. */
export function createDeploymentEngine(o: DeploymentEngineOptions): DeploymentEngine {
  const store = new DeploymentStore(o.db);
  const logs = new DeployLogStore(o.db);
  const recorder = new DeploymentRecorder(store, o.events, o.clock);
  const ownAlarms = o.alarms ? undefined : new EventLogAlarmSource(o.events);
  const alarms = o.alarms ?? ownAlarms!;
  const app = o.app;
  const actions = new StepActions({ app, target: o.target, metrics: o.metrics, recorder, logs, clock: o.clock, appDir: o.appDir, ...(o.secrets ? { secrets: o.secrets } : {}), ...(o.shadow ? { shadow: o.shadow } : {}) });
  const reconciler = new Reconciler({
    app,
    store,
    target: o.target,
    actions,
    recorder,
    events: o.events,
    alarms,
    clock: o.clock,
    logger: o.logger ?? silentLogger,
    healthDeadlineMs: o.healthDeadlineMs,
    crashLimit: o.crashLimit,
  });
  const service = new DeploymentService({ app, target: o.target, store, logs, recorder, reconciler, clock: o.clock, appDir: o.appDir, ...(o.secrets ? { secrets: o.secrets } : {}), ...(o.shadow ? { shadow: o.shadow } : {}) });
  // The same alarm source as the deployments': a flag rollout reverts on the environment's rollbackOn alarms.
  const flagRollouts = o.flags === undefined ? undefined : new FlagRollouts({ app, db: o.db, flags: o.flags, events: o.events, alarms, clock: o.clock, logger: o.logger ?? silentLogger });
  return {
    service,
    reconciler,
    routes: deploymentRoutes(service),
    flagRollouts,
    flagRoutes: flagRollouts === undefined ? () => undefined : flagRolloutRoutes(flagRollouts),
    async close() {
      flagRollouts?.close();
      ownAlarms?.close();
      await reconciler.close();
    },
  };
}
