import path from 'node:path';
import { exec, systemClock, type DataDir, type Db, type EventLog, type Logger } from '../core/index.js';
import { LocalEnvironments, createDeploymentEngine, environmentRoutes, type DeploymentEngine, type FlagRolloutTarget } from '../deployments/index.js';
import { ensureRouter, type RouterHandle } from '../router/index.js';
import {
  createAutoscaler,
  createSupervisor,
  sqliteScalingState,
  startInDependencyOrder,
  type Autoscaler,
  type MetricQuerySource,
  type RequestCountSource,
  type StartEnv,
  type Supervisor,
  type TaskLogLine,
} from '../runtime/index.js';
import { SlipwayError, servicesIn, type ResolvedApp, type RuntimeStatusDto } from '../shared/index.js';
import type { SqliteSecretStore } from '../pipelines/index.js';
import type { RoutesPlugin } from './build-server.js';
import { storeSecretVersions, storeTaskSecrets } from './task-secrets.js';
import { serviceRevisions } from './service-revision.js';
import { localContainerImages } from './container-images.js';
import type { CompiledEngine } from '../images/index.js';

/** Options of {@link startLocalRuntime}. */
export interface LocalRuntimeOptions {
  readonly app: ResolvedApp;
  /** The directory of the app definition: what the first revision runs from. */
  readonly appDir: string;
  /** The config file; a change to it changes every service's revision. */
  readonly appFile?: string;
  readonly dataDir: DataDir;
  readonly db: Db;
  readonly events: EventLog;
  readonly logger: Logger;
  /** Run the working copy in every environment where nothing runs yet. @default true */
  readonly bootstrap?: boolean;
  /** Time between deregistering a task and SIGTERM. @default 2000 */
  readonly drainMs?: number;
  /** OTLP endpoint for the tasks. */
  readonly otlpEndpoint?: string;
  /** Variables each task gets at start, never stored (its telemetry ingest key). @default none */
  readonly startEnv?: StartEnv;
  /** Receives every line a task prints (telemetry turns them into log events). */
  readonly onLogLine?: (line: TaskLogLine) => void;
  /** Where the autoscaler reads request counts for `scaling.targetRequestsPerTask`. @default none (request targets never scale) */
  readonly requestCount?: RequestCountSource;
  /** Where the autoscaler reads custom target metrics (telemetry). @default none */
  readonly metricQuery?: MetricQuerySource;
  /** The autoscaler's timing. @default its defaults (15 s, 60 s) */
  readonly autoscaling?: AutoscalingTiming;
  /** The secret store: what tasks get of the secrets their services declare, and what deployments pin. @default none */
  readonly secrets?: SqliteSecretStore;
  /** The container engine of container services, found on first use (shared with image builds). @default its own */
  readonly engine?: () => Promise<CompiledEngine>;
  /** The flag store, so that flag changes can be rolled out by the deploy engine. @default no flag rollouts */
  readonly flags?: FlagRolloutTarget;
}

/** How often the autoscaler evaluates, and over what window it counts requests. */
export interface AutoscalingTiming {
  /** Time between two evaluations. @default 15000 */
  readonly intervalMs?: number;
  /** Window requests per task are counted over (and given per minute). @default 60000 */
  readonly requestWindowMs?: number;
}

/** The data plane as the control plane holds it. */
export interface LocalRuntime {
  readonly environments: LocalEnvironments;
  /** The deploy engine: strategies, hooks, analysis, rollback. */
  readonly deployments: DeploymentEngine;
  readonly supervisor: Supervisor;
  /** Target tracking, scheduled actions, and alarms' `scale` actions. */
  readonly autoscaler: Autoscaler;
  readonly router: RouterHandle;
  readonly routes: RoutesPlugin;
  /** Status contribution, the `runtime` part of `GET /api/v1/status`: environments and the router. */
  status(): Promise<RuntimeStatusDto>;
  /** Ctrl-C stops tasks and router; a crash (or `stopTasks: false`) leaves them for the next control plane to adopt. */
  close(options: { stopTasks: boolean }): Promise<void>;
}

/**
 * Starts (or adopts) the router, adopts the tasks a previous control plane
 * left running, pushes the routing, and — on a first start — runs the
 * working copy as the first revision of every service in every environment.
 */
export async function startLocalRuntime(o: LocalRuntimeOptions): Promise<LocalRuntime> {
  const logger = o.logger;
  const router = await ensureRouter({ stateDir: path.join(o.dataDir.root, 'router'), logger: logger.child('router') });
  o.events.append({ type: router.adopted ? 'router.adopted' : 'router.started', subject: 'router', data: { pid: router.info.pid, adminUrl: router.info.adminUrl } });
  const ref: { environments?: LocalEnvironments } = {};
  const supervisor = createSupervisor({
    db: o.db,
    events: o.events,
    dataDir: o.dataDir.root,
    logger,
    // Registration and deregistration both go through a full routing sync: the
    // router gets the new task only once it is Healthy, and loses a stopping
    // task before the supervisor drains and signals it.
    onTaskHealthy: async () => void (await ref.environments?.traffic.sync()),
    beforeTaskStop: async () => void (await ref.environments?.traffic.sync()),
    ...(o.onLogLine ? { onLogLine: o.onLogLine } : {}),
    ...(o.startEnv ? { startEnv: o.startEnv } : {}),
    ...(o.secrets ? { secrets: storeTaskSecrets(o.secrets) } : {}),
  });
  try {
    return await startOn(o, router, supervisor, ref);
  } catch (err) {
    // A failed start leaves nothing behind that it started itself; adopted processes keep serving.
    await supervisor.close({ stopTasks: false }).catch(() => undefined);
    if (router.adopted) await router.client.close();
    else await router.stop();
    throw err;
  }
}

async function startOn(o: LocalRuntimeOptions, router: RouterHandle, supervisor: Supervisor, ref: { environments?: LocalEnvironments }): Promise<LocalRuntime> {
  const logger = o.logger;
  const adoption = await supervisor.adopt();
  if (adoption.adopted.length > 0 || adoption.dead.length > 0) {
    logger.info('adopted tasks', { adopted: adoption.adopted.length, dead: adoption.dead.length });
  }
  const environments = new LocalEnvironments({
    app: o.app,
    db: o.db,
    events: o.events,
    supervisor,
    router: router.client,
    clock: systemClock,
    logger,
    drainMs: o.drainMs,
    otlpEndpoint: o.otlpEndpoint,
    containers: localContainerImages({ app: o.app.name, logger: logger.child('images'), events: o.events, ...(o.engine ? { engine: o.engine } : {}) }),
    ...(o.secrets ? { secrets: storeSecretVersions(o.secrets) } : {}),
  });
  ref.environments = environments;
  await environments.start();
  if (o.bootstrap ?? true) await bootstrap(o, environments, logger);
  const envs = environments;
  const autoscaler = createAutoscaler({
    supervisor,
    events: o.events,
    logger,
    ...(o.requestCount ? { requestCount: o.requestCount } : {}),
    ...(o.metricQuery ? { metricQuery: o.metricQuery } : {}),
    // Scheduled ranges and step-policy cooldowns survive a restart of the control plane.
    state: sqliteScalingState(o.db),
    ...(o.autoscaling?.intervalMs !== undefined ? { intervalMs: o.autoscaling.intervalMs } : {}),
    ...(o.autoscaling?.requestWindowMs !== undefined ? { requestWindowMs: o.autoscaling.requestWindowMs } : {}),
  });
  autoscaler.start();
  const deployments = createDeploymentEngine({ app: o.app, target: envs, metrics: router.client, db: o.db, events: o.events, clock: systemClock, appDir: o.appDir, logger, shadow: envs, ...(o.secrets ? { secrets: storeSecretVersions(o.secrets) } : {}), ...(o.flags ? { flags: o.flags } : {}) });
  // Deployments a previous control plane left in flight go on from their last persisted step.
  const resumed = deployments.service.resumeAll();
  if (resumed > 0) logger.info('resumed deployments', { count: resumed });
  const resumedFlags = deployments.flagRollouts?.resumeAll() ?? 0;
  if (resumedFlags > 0) logger.info('resumed flag rollouts', { count: resumedFlags });
  const envRoutes = environmentRoutes(envs);
  return {
    environments: envs,
    deployments,
    supervisor,
    autoscaler,
    router,
    routes: async (app) => {
      await envRoutes(app);
      await deployments.routes(app);
      deployments.flagRoutes(app);
    },
    async status() {
      const table = await router.client.table().catch(() => undefined);
      // An ingress port given as 0 is picked by the router: report the port it listens on, not the 0 asked for.
      const bound = new Map((table?.status.listeners ?? []).filter((l) => l.kind === 'ingress').map((l) => [l.environment, l.port]));
      return {
        environments: envs.status().map((e) => ({ ...e, ingressPort: bound.get(e.name) ?? e.ingressPort })),
        router: {
          pid: router.info.pid,
          adminUrl: router.info.adminUrl,
          version: table?.status.version ?? null,
          listeners: (table?.status.listeners ?? []).map((l) => ({ id: l.id, kind: l.kind, environment: l.environment, service: l.service ?? null, port: l.port })),
        },
      };
    },
    async close({ stopTasks }) {
      await deployments.close();
      await autoscaler.shutdown();
      await envs.close();
      await supervisor.close({ stopTasks });
      if (stopTasks) await router.stop();
      else await router.client.close();
    },
  };
}

/**
 * Runs the working copy in every environment where a service runs nothing yet, services
 * in dependency order (`dependsOn`: each waits for its dependencies to be Healthy and
 * routed), environments side by side. A service whose dependency never becomes Healthy
 * is not started (`service.start.blocked`); the next start tries again.
 */
async function bootstrap(o: LocalRuntimeOptions, environments: LocalEnvironments, logger: Logger): Promise<void> {
  const revisions = await serviceRevisions({ app: o.app, appDir: o.appDir, appFile: o.appFile }, 'HEAD', await workingCopyRevision(o.appDir));
  const revisionsOf = (environment: string, service: string) => environments.revisions.list({ environment, service });
  // Settled, not raced: a failed start is thrown only once the other environments are done starting.
  const settled = await Promise.allSettled(
    Object.keys(o.app.environments).map(async (environment) => {
      const result = await startInDependencyOrder({
        environment,
        services: Object.values(servicesIn(o.app, environment)).map((s) => ({ name: s.name, dependsOn: s.dependsOn, health: s.health, running: revisionsOf(environment, s.name).length > 0 })),
        start: async (service) => {
          try {
            await environments.startRevision({ environment, service, revision: revisions[service]!, sourceDir: o.appDir });
          } catch (err) {
            // A declared secret that is not set yet must not keep the control plane down: it is
            // how the secret gets set. The service starts with the deployment that follows.
            if (!(err instanceof SlipwayError && err.code === 'SLW_ERR_DEPLOY_SECRET_NOT_SET')) throw err;
            logger.warn('service not started: a declared secret is not set', { environment, service, reason: err.message });
          }
        },
        isHealthy: (service) =>
          revisionsOf(environment, service).some((r) => {
            const h = environments.revisionHealth(environment, service, r.revision);
            return h.healthyCount > 0 && h.routed;
          }),
        events: o.events,
      });
      for (const b of result.blocked) logger.warn('service not started: a dependency is not healthy', { environment, ...b });
    }),
  );
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** The revision id of the working copy: its commit (short sha), or `local` outside git. */
async function workingCopyRevision(dir: string): Promise<string> {
  const r = await exec('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: dir, timeoutMs: 5000 }).catch(() => undefined);
  return r?.code === 0 && r.stdout.trim() !== '' ? r.stdout.trim() : 'local';
}
