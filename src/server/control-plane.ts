import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import {
  EventLog,
  allocatePort,
  ensureDataDir,
  eventMigrations,
  loadAppConfig,
  openDatabase,
  readOrCreateSecret,
  resolveDataDir,
  silentLogger,
  writeFileAtomic,
  type DataDir,
  type Db,
  type Logger,
} from '../core/index.js';
import { alarmMigrations } from '../alarms/index.js';
import { deploymentMigrations } from '../deployments/index.js';
import { experimentMigrations, type Experiments } from '../experiments/index.js';
import { flagMigrations, type Flags, type OfrepEndpoint } from '../flags/index.js';
import { IacStore, iacMigrations } from '../iac/index.js';
import { imageMigrations, lazyEngine } from '../images/index.js';
import { incidentMigrations } from '../incidents/index.js';
import { SqliteSecretStore, pipelineMigrations } from '../pipelines/index.js';
import { runtimeMigrations } from '../runtime/index.js';
import { RouterMetricsPublisher } from '../router/index.js';
import { createTelemetry, runMetricQuery, type RetentionPolicy, type RumIngest, type Telemetry } from '../telemetry/index.js';
import { NotFoundError, type ResolvedApp } from '../shared/index.js';
import { buildServer, type RoutesPlugin } from './build-server.js';
import { startDelivery, type Delivery } from './delivery.js';
import { ingestStartEnv } from './ingest-start-env.js';
import { startExperiments, type ExperimentsWiring } from './experiments-wiring.js';
import { startImages, type ImagesWiring } from './images-wiring.js';
import { mergeStartEnv, startFlags, type FlagsWiring } from './flags-wiring.js';
import { openLiveModel, pendingChanges, startIac, type IacWiring } from './iac-wiring.js';
import { storeSecretVersions } from './task-secrets.js';
import { startLocalRuntime, type AutoscalingTiming, type LocalRuntime } from './local-runtime.js';
import { routerRequestCount } from './router-request-count.js';
import { SessionStore } from './session.js';
import { acquireLock } from './lock.js';
import { dashboardRoutes } from './routes/dashboards.js';
import { secretRoutes } from './routes/secrets.js';
import type { StatusContributor } from './routes/status.js';

/** Options of {@link startControlPlane}. */
export interface ControlPlaneOptions {
  /** The data directory. @default '.slipway' */
  readonly dataDir?: string;
  /** Interface the API listens on. @default '127.0.0.1' */
  readonly host?: string;
  /** API port; 0 picks a free one. @default 4400 */
  readonly port?: number;
  /** The API token; otherwise `SLIPWAY_TOKEN`, otherwise `<data>/token` (created at first start). */
  readonly token?: string;
  /** Diagnostic logger. @default silentLogger */
  readonly logger?: Logger;
  /** The app definition; without one, `slipway.config.*` in `cwd` if there is one, else the control plane runs alone. */
  readonly configFile?: string;
  /** Where the app definition is looked for. @default process.cwd() */
  readonly cwd?: string;
  /** Run the working copy in every environment where nothing runs yet. @default true */
  readonly bootstrap?: boolean;
  /** Time between deregistering a task and SIGTERM. @default 2000 */
  readonly drainMs?: number;
  /** Pipeline polling period. @default the app model's `trigger.pollInterval` */
  readonly pollIntervalMs?: number;
  /** OTLP/HTTP receiver port; 0 picks a free one, null runs none. @default 0 (`slipway up` asks for 4318) */
  readonly otlpPort?: number | null;
  /** X-Ray daemon (UDP) port; 0 picks a free one, null runs none. @default 0 (`slipway up` asks for 2000) */
  readonly xrayPort?: number | null;
  /**
   * Host names (`name` or `name:port`) the API answers to besides 127.0.0.1, localhost and [::1] on its
   * port and the host it listens on: a tunnel or a reverse proxy in front of it. Any other Host is refused.
   * @default []
   */
  readonly allowedHosts?: readonly string[];
  /** How often the autoscaler evaluates and over what window it counts requests per task. @default every 15 s, over 60 s */
  readonly autoscaling?: AutoscalingTiming;
  /** How often the router's metrics are published into telemetry. @default 5000 */
  readonly routerMetricsIntervalMs?: number;
  /** How often the running system is compared with the applied model (drift). @default 10000 */
  readonly driftIntervalMs?: number;
  /** How often flag impressions are published into telemetry. @default 10000 */
  readonly impressionIntervalMs?: number;
  /** How often running experiments are evaluated (guardrails, verdicts). @default 10000 */
  readonly experimentIntervalMs?: number;
  /** How often every image repository's lifecycle policy is applied (it is also applied on each push). @default 3600000 */
  readonly imageLifecycleIntervalMs?: number;
}

/** What `slipway up` records in `<data>/server.json` for client verbs. */
export interface ServerRecord {
  readonly url: string;
  readonly pid: number;
  readonly startedAt: string;
  readonly ports: Readonly<Record<string, number>>;
}

/** Where the API token came from; see {@link ControlPlaneOptions}. */
export type TokenSource = 'option' | 'env' | 'file';

/** A running control plane. */
export interface ControlPlane {
  readonly url: string;
  readonly token: string;
  /** Where {@link token} came from: the `token` option, `SLIPWAY_TOKEN`, or `<data>/token`. */
  readonly tokenSource: TokenSource;
  readonly dataDir: DataDir;
  readonly db: Db;
  readonly events: EventLog;
  readonly app: FastifyInstance;
  /** Traces, metrics and logs. */
  readonly telemetry: Telemetry;
  /** Pipelines, alarms, incidents and DORA, when there is an app. */
  readonly delivery: Delivery | undefined;
  /** Publishes the router's ALB metrics into telemetry, when there is an app. */
  readonly routerMetrics: RouterMetricsPublisher | undefined;
  /** The ports it listens on: api, otlp, xray. */
  readonly ports: Readonly<Record<string, number>>;
  /** A new one-time link that logs a browser in to the dashboard. */
  loginUrl(): string;
  /** The app model it runs, if any: the live model, composed from what each environment applied last. */
  readonly appModel: ResolvedApp | undefined;
  /** Plans, applies and drift, when there is an app. */
  readonly iac: IacWiring | undefined;
  /** Feature flags: the store, the OFREP endpoint, the flags API, impressions. */
  readonly flags: Flags;
  /** OFREP off the main event loop (the tasks' `SLIPWAY_FLAGS_URL`); undefined without an app. */
  readonly ofrep: OfrepEndpoint | undefined;
  /** A/B experiments, when there is an app. */
  readonly experiments: Experiments | undefined;
  /** The file the app definition came from. */
  readonly appFile: string | undefined;
  /** Router, supervisor and environments, when there is an app. */
  readonly runtime: LocalRuntime | undefined;
  /**
   * Stops serving and closes the store. Idempotent. With `stopTasks` (the
   * default, Ctrl-C) tasks and router stop too; without, they keep serving
   * for the next control plane to adopt.
   */
  close(options?: { stopTasks?: boolean }): Promise<void>;
}

// Rotating the API token costs nothing: clients read it from the same file.
const TOKEN_ROTATION = 'delete it: a new token is made at the next start, and clients read it from the same file';

/**
 * Starts the control plane: store, event log, API. Each later context adds
 * itself here (its migrations, its routes, its background loops), which is
 * what makes this the composition root.
 */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const logger = options.logger ?? silentLogger;
  const dataDir = resolveDataDir(options.dataDir);
  const dirCheck = ensureDataDir(dataDir);
  if (dirCheck.tightenedFromMode !== undefined) {
    logger.warn('data directory was readable by others; tightened to 0700', { dataDir: dataDir.root, mode: `0${dirCheck.tightenedFromMode.toString(8)}` });
  }
  const loaded = await findAppConfig(options);
  const release = acquireLock(path.join(dataDir.runDir, 'control-plane.pid'));
  let db: Db | undefined;
  let runtime: LocalRuntime | undefined;
  let telemetry: Telemetry | undefined;
  let liveModel: { readonly view: ResolvedApp } | undefined;
  let routerMetrics: RouterMetricsPublisher | undefined;
  let delivery: Delivery | undefined;
  let iac: IacWiring | undefined;
  let flagsWiring: FlagsWiring | undefined;
  let experimentsWiring: ExperimentsWiring | undefined;
  let imagesWiring: ImagesWiring | undefined;
  try {
    db = openDatabase(dataDir.dbFile, { migrations: [...eventMigrations, ...runtimeMigrations, ...deploymentMigrations, ...pipelineMigrations, ...alarmMigrations, ...incidentMigrations, ...iacMigrations, ...flagMigrations, ...experimentMigrations, ...imageMigrations] });
    // An empty SLIPWAY_TOKEN counts as unset: an empty token would let anyone in.
    const envToken = process.env.SLIPWAY_TOKEN || undefined;
    const tokenSource: TokenSource = options.token !== undefined ? 'option' : envToken !== undefined ? 'env' : 'file';
    const token = options.token ?? envToken ?? readOrCreateSecret(dataDir.tokenFile, { rotation: TOKEN_ROTATION });
    // The key file is checked here, before the router or any task starts: a refusal leaves nothing running.
    const secrets = loaded ? new SqliteSecretStore({ db, keyFile: dataDir.keyFile }) : undefined;
    const events = new EventLog(db, { onListenerError: (err) => logger.error('event listener failed', { err }) });
    const startedAt = new Date().toISOString();
    const ports: Record<string, number> = {};
    const status = new Map<string, StatusContributor>([
      ['server', () => ({ version: packageVersion(), pid: process.pid, startedAt, dataDir: dataDir.root, ports: { ...ports } })],
      ['events', () => ({ lastSeq: events.lastSeq() })],
    ]);
    telemetry = createTelemetry({
      dataDir: dataDir.root,
      logger: logger.child('telemetry'),
      otlpPort: options.otlpPort === undefined ? 0 : options.otlpPort,
      xrayPort: options.xrayPort === undefined ? 0 : options.xrayPort,
      allowUnauthenticated: loaded?.app.telemetry.allowUnauthenticated ?? false,
      // Read at each request: the applied model's, once there is one.
      rum: () => rumIngestOf(liveModel?.view ?? loaded?.app),
      // Read at each retention round: the applied model's, once there is one.
      retention: () => retentionPolicyOf((liveModel?.view ?? loaded?.app)?.telemetry.retention),
    });
    const telemetryPorts = await telemetry.start();
    if (telemetryPorts.otlpPort !== undefined) ports.otlp = telemetryPorts.otlpPort;
    if (telemetryPorts.xrayPort !== undefined) ports.xray = telemetryPorts.xrayPort;
    const tel = telemetry;
    status.set('telemetry', () => ({ ...tel.status() }));
    const iacStore = loaded ? new IacStore(db) : undefined;
    const live = loaded && iacStore ? await openLiveModel(iacStore, loaded.app, path.dirname(loaded.file)) : undefined;
    liveModel = live;
    flagsWiring = startFlags({ db, events, app: live?.view, dataDir, telemetry: tel, logger, impressionIntervalMs: options.impressionIntervalMs });
    const fw = flagsWiring;
    status.set('flags', () => fw.status());
    const host = options.host ?? '127.0.0.1';
    // Tasks are told where the API is before it listens (they start first), so a port of 0 is picked now.
    const listenPort = options.port === 0 ? await allocatePort() : (options.port ?? 4400);
    // Tasks evaluate over OFREP on the worker's listener, off this process's event loop; the API's
    // routes answer the same for callers of the API port.
    const flagsUrl = loaded ? await fw.startEndpoint() : `http://${taskHost(host)}:${listenPort}`;
    const routes: RoutesPlugin[] = [tel.routes, dashboardRoutes(live?.view), fw.routes];
    if (live) {
      experimentsWiring = startExperiments({ db, events, app: () => live.view, telemetry: tel, flags: fw.flags.store, logger, intervalMs: options.experimentIntervalMs });
      routes.push(experimentsWiring.routes);
    }
    const xw = experimentsWiring;
    if (loaded && secrets && live && iacStore) {
      const model = live.view;
      // One engine detection for container tasks and image builds alike, on first use.
      const engine = lazyEngine();
      imagesWiring = startImages({ dataDir: dataDir.root, db, events, logger, engine, runtime: () => runtime, lifecycleIntervalMs: options.imageLifecycleIntervalMs });
      const iw = imagesWiring;
      runtime = await startLocalRuntime({
        engine,
        app: model,
        appDir: path.dirname(loaded.file),
        appFile: loaded.file,
        dataDir,
        db,
        events,
        logger,
        bootstrap: options.bootstrap,
        drainMs: options.drainMs,
        ...(telemetryPorts.otlpPort !== undefined ? { otlpEndpoint: `http://127.0.0.1:${telemetryPorts.otlpPort}` } : {}),
        startEnv: mergeStartEnv(
          telemetryPorts.otlpPort !== undefined
            ? ingestStartEnv(tel.ingestKeys(), { rum: () => (liveModel?.view ?? loaded.app).telemetry.rum, endpoint: `http://127.0.0.1:${telemetryPorts.otlpPort}` })
            : undefined,
          fw.startEnv(() => flagsUrl),
        ),
        onLogLine: (line) => tel.ingestTaskLogLine(line),
        // Request-based scaling reads the router's RequestCount back from telemetry, as AWS reads it from CloudWatch.
        requestCount: routerRequestCount(tel),
        // Custom targets are metric queries (math included) over trusted points, as alarms read them.
        metricQuery: (query, window) => runMetricQuery((req) => tel.queryMetricData(req), query, window).values,
        autoscaling: options.autoscaling,
        secrets,
        flags: fw.flags.store,
      });
      const rt = runtime;
      routerMetrics = new RouterMetricsPublisher({
        router: rt.router.client,
        ingest: (points) => tel.ingestMetricPoints(points),
        ingestLogs: (entries) => tel.ingestLogEntries(entries),
        positionFile: path.join(dataDir.runDir, 'router-access-log.json'),
        logger,
        intervalMs: options.routerMetricsIntervalMs,
      });
      routerMetrics.start();
      iac = startIac({ db, live, store: iacStore, events, logger, environments: rt.environments, deployments: rt.deployments, secrets: storeSecretVersions(secrets), appDir: path.dirname(loaded.file), appFile: loaded.file, driftIntervalMs: options.driftIntervalMs });
      const ic = iac;
      delivery = await startDelivery({ app: model, appDir: path.dirname(loaded.file), appFile: loaded.file, dataDir, db, events, telemetry: tel, runtime: rt, secrets, logger, pollIntervalMs: options.pollIntervalMs, planner: ic.planner, prepareDeploy: ic.prepareDeploy, images: iw.registry });
      iw.start();
      const dl = delivery;
      // An apply changed a scope's model: what derives state from it once follows.
      live.onChange(() => void dl.alarms.reload().catch((err: unknown) => logger.error('alarms did not reload', { err })));
      live.onChange(() => {
        try {
          xw?.experiments.sync();
        } catch (err) {
          logger.error('experiments of the applied model were not started', { err });
        }
      });
      live.onChange(() => {
        try {
          fw.reseed(live.view);
        } catch (err) {
          logger.error('flags of the applied model were not seeded', { err });
        }
      });
      await ic.start();
      const pending = pendingChanges(live, loaded.app);
      if (pending > 0) logger.warn('the app definition differs from the applied model; `slipway plan` shows it, `slipway apply` or the pipeline applies it', { file: loaded.file, changes: pending });
      status.set('iac', () => ic.status());
      status.set('app', () => ({ name: model.name, file: loaded.file }));
      status.set('runtime', () => rt.status());
      status.set('delivery', () => dl.status());
      routes.push(rt.routes, ...dl.routes, ic.routes, iw.routes, secretRoutes({ app: model, store: secrets, events, environments: rt.environments, deployments: rt.deployments }));
    }
    const sessions = new SessionStore();
    let baseUrl = 'http://127.0.0.1';
    const app = await buildServer({ events, token, logger, status, routes, sessions, baseUrl: () => baseUrl, allowedHosts: options.allowedHosts });
    await app.listen({ host, port: listenPort });
    const address = app.server.address();
    const apiPort = typeof address === 'object' && address ? address.port : listenPort;
    ports.api = apiPort;
    fw.start();
    xw?.start();
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${apiPort}`;
    baseUrl = url;
    const record: ServerRecord = { url, pid: process.pid, startedAt, ports };
    events.append({ type: 'controlplane.started', subject: 'controlplane', data: { pid: process.pid, url } });
    // Written last: its presence tells clients the control plane is fully up.
    writeFileAtomic(dataDir.serverFile, `${JSON.stringify(record, null, 2)}\n`);
    logger.info('control plane started', { url });

    const openDb = db;
    let closing: Promise<void> | undefined;
    return {
      url,
      token,
      tokenSource,
      dataDir,
      db: openDb,
      events,
      app,
      ports,
      telemetry: tel,
      routerMetrics,
      delivery,
      loginUrl: () => `${url}/login?token=${sessions.createLoginToken()}`,
      appModel: live?.view,
      iac,
      flags: fw.flags,
      ofrep: fw.endpoint,
      experiments: xw?.experiments,
      appFile: loaded?.file,
      runtime,
      close: (closeOptions = {}) =>
        (closing ??= (async () => {
          await app.close();
          xw?.close();
          await iac?.close();
          await delivery?.close();
          await routerMetrics?.shutdown();
          await runtime?.close({ stopTasks: closeOptions.stopTasks ?? true });
          // Like the router, the registry outlives a control plane that is not stopping its tasks.
          await imagesWiring?.close({ stopRegistry: closeOptions.stopTasks ?? true });
          // After the API stopped serving OFREP: the last counts reach telemetry before it shuts down.
          await fw.close();
          await tel.shutdown();
          events.append({ type: 'controlplane.stopped', subject: 'controlplane', data: { pid: process.pid } });
          fs.rmSync(dataDir.serverFile, { force: true });
          openDb.close();
          release();
        })()),
    };
  } catch (err) {
    await iac?.close().catch(() => undefined);
    await delivery?.close().catch(() => undefined);
    await runtime?.close({ stopTasks: false }).catch(() => undefined);
    await imagesWiring?.close({ stopRegistry: false }).catch(() => undefined);
    await flagsWiring?.close().catch(() => undefined);
    experimentsWiring?.close();
    await telemetry?.shutdown().catch(() => undefined);
    db?.close();
    release();
    throw err;
  }
}

/** The host tasks reach the API on: loopback when it listens on every interface. */
function taskHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** The app definition `up` runs: the one named, else the one in cwd, else none (control plane only). */
async function findAppConfig(options: ControlPlaneOptions) {
  try {
    return await loadAppConfig({ file: options.configFile, cwd: options.cwd });
  } catch (err) {
    if (err instanceof NotFoundError && options.configFile === undefined) return undefined;
    throw err;
  }
}

let version: string | undefined;
/** This package's version, read once. */
export function packageVersion(): string {
  if (version === undefined) {
    const here = path.dirname(new URL(import.meta.url).pathname);
    for (const candidate of ['../../package.json', '../../../package.json']) {
      const file = path.resolve(here, candidate);
      if (fs.existsSync(file)) {
        version = (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
        break;
      }
    }
    version ??= '0.0.0';
  }
  return version;
}

/** The store's retention policy of the app model's `telemetry.retention` (7 days where it sets none). */
function retentionPolicyOf(r: ResolvedApp['telemetry']['retention'] | undefined): RetentionPolicy {
  if (r === undefined) return {};
  return { ...(r.logsMs !== undefined ? { logsMs: r.logsMs } : {}), ...(r.spansMs !== undefined ? { spansMs: r.spansMs } : {}), ...(r.metricsMs !== undefined ? { metricsMs: r.metricsMs } : {}), logGroupsMs: r.logGroupsMs };
}

/** What the receivers need of the app model's `telemetry.rum`: the allow-list and one browser key per environment. */
function rumIngestOf(app: ResolvedApp | undefined): RumIngest | undefined {
  const rum = app?.telemetry.rum;
  if (app === undefined || rum === undefined) return undefined;
  return { origins: rum.origins, serviceName: rum.serviceName, environments: Object.keys(app.environments) };
}
