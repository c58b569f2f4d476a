import path from 'node:path';
import { exec, systemClock, type DataDir, type Db, type EventLog, type Logger } from '../core/index.js';
import { LocalEnvironments, createDeploymentEngine, environmentRoutes, type DeploymentEngine } from '../deployments/index.js';
import { ensureRouter, type RouterHandle } from '../router/index.js';
import { createAutoscaler, createSupervisor, type StartEnv, type Supervisor, type TaskLogLine } from '../runtime/index.js';
import type { ResolvedApp, RuntimeStatusDto } from '../shared/index.js';
import type { RoutesPlugin } from './build-server.js';

/** Options of {@link startLocalRuntime}. */
export interface LocalRuntimeOptions {
  readonly app: ResolvedApp;
  /** The directory of the app definition: what the first revision runs from. */
  readonly appDir: string;
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
}

/** The data plane as the control plane holds it. */
export interface LocalRuntime {
  readonly environments: LocalEnvironments;
  /** The deploy engine: strategies, hooks, analysis, rollback. */
  readonly deployments: DeploymentEngine;
  readonly supervisor: Supervisor;
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
  const environments = new LocalEnvironments({ app: o.app, db: o.db, events: o.events, supervisor, router: router.client, clock: systemClock, logger, drainMs: o.drainMs, otlpEndpoint: o.otlpEndpoint });
  ref.environments = environments;
  await environments.start();
  if (o.bootstrap ?? true) {
    const revision = await workingCopyRevision(o.appDir);
    for (const env of Object.keys(o.app.environments)) {
      for (const service of Object.keys(o.app.services)) {
        if (environments.revisions.list({ environment: env, service }).length > 0) continue;
        await environments.startRevision({ environment: env, service, revision, sourceDir: o.appDir });
      }
    }
  }
  const envs = environments;
  const autoscaler = createAutoscaler({ supervisor, events: o.events, logger });
  autoscaler.start();
  const deployments = createDeploymentEngine({ environments: envs, router: router.client, db: o.db, events: o.events, clock: systemClock, appDir: o.appDir, logger });
  // Deployments a previous control plane left in flight go on from their last persisted step.
  const resumed = deployments.service.resumeAll();
  if (resumed > 0) logger.info('resumed deployments', { count: resumed });
  const envRoutes = environmentRoutes(envs);
  return {
    environments: envs,
    deployments,
    supervisor,
    router,
    routes: async (app) => {
      await envRoutes(app);
      await deployments.routes(app);
    },
    async status() {
      const table = await router.client.table().catch(() => undefined);
      return {
        environments: envs.status(),
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

/** The revision id of the working copy: its commit (short sha), or `local` outside git. */
async function workingCopyRevision(dir: string): Promise<string> {
  const r = await exec('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: dir, timeoutMs: 5000 }).catch(() => undefined);
  return r?.code === 0 && r.stdout.trim() !== '' ? r.stdout.trim() : 'local';
}
