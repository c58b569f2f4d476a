import fs from 'node:fs';
import path from 'node:path';
import { exec, type DataDir, type Db, type EventLog, type Logger } from '../core/index.js';
import { createAlarms, type Alarms } from '../alarms/index.js';
import { createDora } from '../dora/index.js';
import { createIncidents, type Incidents } from '../incidents/index.js';
import { ArtifactStore, createPipelines, type DeployRequest, type Pipelines, type Planner, type SqliteSecretStore } from '../pipelines/index.js';
import type { DeployPreparation } from './iac-wiring.js';
import type { LocalRegistry } from '../images/index.js';
import type { Telemetry } from '../telemetry/index.js';
import type { ResolvedApp } from '../shared/index.js';
import type { RoutesPlugin } from './build-server.js';
import type { LocalRuntime } from './local-runtime.js';
import { pipelineDeployer } from './pipeline-deployer.js';

/** Options of {@link startDelivery}. */
export interface DeliveryOptions {
  readonly app: ResolvedApp;
  /** The directory of the app definition. */
  readonly appDir: string;
  /** The config file (its changes change every service's revision). */
  readonly appFile?: string;
  readonly dataDir: DataDir;
  readonly db: Db;
  readonly events: EventLog;
  readonly telemetry: Telemetry;
  readonly runtime: LocalRuntime;
  /** The secret store, opened by the control plane before anything starts (its key file is checked then). */
  readonly secrets: SqliteSecretStore;
  readonly logger: Logger;
  /** Pipeline polling period. @default the app model's `trigger.pollInterval` */
  readonly pollIntervalMs?: number;
  /** Plan actions go through it. @default none: plan actions fail */
  readonly planner?: Planner;
  /** The local registry image actions push to and builds' `docker` command uses. @default none: image actions fail */
  readonly images?: LocalRegistry;
  /** Applies the commit's app model to an environment before a deploy action deploys it. @default none: the model is not applied */
  readonly prepareDeploy?: (req: DeployRequest) => Promise<DeployPreparation>;
}

/** The delivery side of the control plane: pipelines, alarms, incidents, DORA. */
export interface Delivery {
  readonly alarms: Alarms;
  readonly incidents: Incidents;
  /** Undefined when the app has no pipeline or its directory is not the root of a git repository. */
  readonly pipelines: Pipelines | undefined;
  /** Why pipelines are off, when they are. */
  readonly pipelinesOff: string | undefined;
  readonly routes: readonly RoutesPlugin[];
  status(): Record<string, unknown>;
  close(): Promise<void>;
}

/**
 * Composes what turns telemetry into decisions and commits into releases:
 * the alarm engine (whose transitions the deployment engine and incidents
 * react to through the event log), incidents (mitigating through the
 * deployment engine), DORA, and the pipeline (deploying through it).
 */
export async function startDelivery(o: DeliveryOptions): Promise<Delivery> {
  const secrets = o.secrets;
  const alarms = createAlarms({ app: o.app, db: o.db, events: o.events, telemetry: o.telemetry, scaler: o.runtime.autoscaler, logger: o.logger.child('alarms'), secrets, appDir: o.appDir });
  alarms.start();
  const engine = o.runtime.deployments;
  const incidents = createIncidents({
    db: o.db,
    events: o.events,
    logger: o.logger.child('incidents'),
    app: o.app,
    metrics: o.telemetry,
    mitigator: {
      async rollback(deploymentId) {
        try {
          const d = engine.service.rollback(deploymentId);
          return { ok: true, message: `deployment ${d.id} rolls ${d.service} in ${d.environment} back to ${d.toRevision}` };
        } catch (err) {
          return { ok: false, message: (err as Error).message };
        }
      },
    },
  });
  incidents.start();
  const dora = createDora({ events: o.events, repoDir: o.appDir });

  const pipelinesOff = o.app.pipeline === undefined ? 'the app defines no pipeline' : await notRepoRoot(o.appDir);
  let pipelines: Pipelines | undefined;
  if (pipelinesOff === undefined) {
    pipelines = createPipelines({
      app: o.app,
      repoDir: o.appDir,
      db: o.db,
      events: o.events,
      dataDir: o.dataDir.root,
      secrets,
      artifacts: new ArtifactStore({ db: o.db, dir: o.dataDir.artifactsDir, events: o.events }),
      deployer: pipelineDeployer(engine, o.events, { app: o.app, appDir: o.appDir, appFile: o.appFile }, o.prepareDeploy),
      ...(o.planner ? { planner: o.planner } : {}),
      ...(o.images ? { images: o.images } : {}),
      ingresses: { originOf: (environment) => ingressOrigin(o.runtime, environment) },
      alarms: { stateOf: (name) => (o.app.alarms[name] ? alarms.state(name) : undefined) },
      logger: o.logger.child('pipelines'),
      ...(o.pollIntervalMs !== undefined ? { pollIntervalMs: o.pollIntervalMs } : {}),
    });
    await pipelines.start();
  }
  const routes: RoutesPlugin[] = [alarms.routes, incidents.routes, dora.routes, ...(pipelines ? [pipelines.routes] : [])];
  return {
    alarms,
    incidents,
    pipelines,
    pipelinesOff,
    routes,
    status: () => ({ pipelines: pipelines ? pipelines.status() : { off: pipelinesOff }, alarms: alarms.list().map((a) => ({ name: a.name, state: a.state })) }),
    async close() {
      await pipelines?.close();
      await alarms.close();
      await incidents.close();
    },
  };
}

/** `http://127.0.0.1:<port>` of the port the router's ingress listener of `environment` listens on (a port given as 0 is the one it picked). */
async function ingressOrigin(runtime: LocalRuntime, environment: string): Promise<string | undefined> {
  const listener = (await runtime.status()).router.listeners.find((l) => l.kind === 'ingress' && l.environment === environment);
  return listener === undefined || listener.port === 0 ? undefined : `http://127.0.0.1:${listener.port}`;
}

/** Why a directory cannot be a pipeline's source: undefined when it is the root of a git work tree. */
async function notRepoRoot(dir: string): Promise<string | undefined> {
  const r = await exec('git', ['rev-parse', '--show-toplevel'], { cwd: dir, timeoutMs: 5000 }).catch(() => undefined);
  if (!r || r.code !== 0) return `${dir} is not a git repository`;
  return path.resolve(r.stdout.trim()) === fs.realpathSync(dir) ? undefined : `${dir} is not the root of its git repository (${r.stdout.trim()})`;
}
