import fs from 'node:fs';
import path from 'node:path';
import { readOrCreateSecret, writeFileAtomic, type DataDir, type Db, type EventLog, type Logger } from '../core/index.js';
import { FlagTokens, OfrepEndpoint, createFlags, type Flags } from '../flags/index.js';
import type { StartEnv } from '../runtime/index.js';
import type { ResolvedApp } from '../shared/index.js';
import type { Telemetry } from '../telemetry/index.js';
import type { RoutesPlugin } from './build-server.js';

/** The variable a task finds its OFREP base URL in (an OFREP provider's `baseUrl`): the OFREP worker's listener. */
export const FLAGS_URL_ENV = 'SLIPWAY_FLAGS_URL';
/** The variable a task finds its read-only flag token in (`Authorization: Bearer <token>`). */
export const FLAGS_TOKEN_ENV = 'SLIPWAY_FLAGS_TOKEN';

// Rotating the signing key costs a restart of the tasks: they get tokens signed with the new key at their next start.
const KEY_ROTATION = 'delete it: a new key is made at the next start, and every task gets a token signed with it when it next starts (running tasks keep an old token that no longer works until they are replaced)';

/** Options of {@link startFlags}. */
export interface FlagsWiringOptions {
  readonly db: Db;
  readonly events: EventLog;
  /** The app model whose flags are seeded; undefined for a control plane without an app. */
  readonly app: ResolvedApp | undefined;
  readonly dataDir: DataDir;
  /** Where impressions go (as `feature_flag.impressions` points). */
  readonly telemetry: Pick<Telemetry, 'ingestMetricPoints'>;
  readonly logger: Logger;
  /** Time between impression flushes. @default 10000 */
  readonly impressionIntervalMs?: number;
  /** Where the OFREP worker listens (`startEndpoint`). @default '127.0.0.1' */
  readonly ofrepHost?: string;
}

/** Flags, wired into the control plane. */
export interface FlagsWiring {
  readonly flags: Flags;
  /** The OFREP routes and the flags API. */
  readonly routes: RoutesPlugin;
  /** Signs and checks the tasks' read-only flag tokens. */
  readonly tokens: FlagTokens;
  /**
   * Starts OFREP off the main event loop: a worker thread listening on loopback, on the port it had
   * at the last start when that is free (adopted tasks keep the URL they were given), else a new
   * one. Resolves with its base URL, what tasks get as `SLIPWAY_FLAGS_URL`.
   * @throws {UnavailableError} `SLW_ERR_FLAG_ENDPOINT_UNAVAILABLE` when the worker cannot start
   */
  startEndpoint(): Promise<string>;
  /** The OFREP worker, once `startEndpoint` resolved. */
  readonly endpoint: OfrepEndpoint | undefined;
  /**
   * What each task gets at start: `SLIPWAY_FLAGS_URL` (`url()`: the OFREP worker's base URL, or the
   * API's, which OFREP providers append `/ofrep/v1/…` to) and `SLIPWAY_FLAGS_TOKEN`, bound to its
   * environment and service.
   */
  startEnv(url: () => string): StartEnv;
  /** Seeds the flags of an app model that an apply changed (new flags appear; stored ones keep their state). */
  reseed(app: ResolvedApp): void;
  /** Starts flushing impressions. */
  start(): void;
  /** Stops the OFREP worker, then flushes the last impressions (the worker's too) and stops. */
  close(): Promise<void>;
  status(): Record<string, unknown>;
}

/**
 * Creates the flags context on the control plane's database: seeds the app model's flags, appends
 * every change to the event log as `flag.changed` (in the store's transaction), counts OFREP
 * evaluations into telemetry, and authenticates OFREP callers with tokens signed by
 * `<data>/flags-key` (created 0600 at the first start, kept across restarts so adopted tasks'
 * tokens stay valid).
 */
export function startFlags(o: FlagsWiringOptions): FlagsWiring {
  const secret = readOrCreateSecret(o.dataDir.flagsKeyFile, { rotation: KEY_ROTATION });
  const tokens = new FlagTokens(secret);
  const logger = o.logger.child('flags');
  const flags = createFlags({
    db: o.db,
    app: o.app,
    appendEvent: (e) => void o.events.append(e),
    authenticate: tokens.check,
    ingestMetricPoints: (points) => o.telemetry.ingestMetricPoints(points),
    ...(o.impressionIntervalMs !== undefined ? { impressionIntervalMs: o.impressionIntervalMs } : {}),
    onError: (err) => logger.error('impressions were not published', { err }),
  });
  const report = flags.seedReport;
  if (report !== undefined) {
    const differs = report.kept.filter((k) => k.differsFromModel);
    if (differs.length > 0) logger.info('flags changed since they were seeded keep their stored state', { flags: differs.map((k) => `${k.environment}/${k.key}`) });
    if (report.notInModel.length > 0) logger.warn('stored flags the app model no longer declares are still served', { flags: report.notInModel.map((k) => `${k.environment}/${k.key}`) });
  }
  const portFile = path.join(o.dataDir.runDir, 'flags-ofrep.json');
  let endpoint: OfrepEndpoint | undefined;
  return {
    flags,
    tokens,
    get endpoint() {
      return endpoint;
    },
    startEndpoint: async () => {
      endpoint = new OfrepEndpoint({
        store: flags.store,
        secret,
        impressions: flags.impressions,
        host: o.ofrepHost ?? '127.0.0.1',
        port: previousPort(portFile),
        onError: (message, err) => logger.error(message, err === undefined ? {} : { err }),
      });
      const url = await endpoint.start();
      fs.mkdirSync(o.dataDir.runDir, { recursive: true, mode: 0o700 });
      writeFileAtomic(portFile, `${JSON.stringify({ port: endpoint.port })}\n`);
      logger.info('OFREP is served off the main event loop', { url });
      return url;
    },
    routes: async (app) => {
      await flags.routes(app);
      flags.apiRoutes(app);
    },
    startEnv: (url) => (task) => ({ [FLAGS_URL_ENV]: url(), [FLAGS_TOKEN_ENV]: tokens.tokenFor(task.environment, task.service) }),
    reseed: (app) => {
      const r = flags.store.seed(app);
      if (r.seeded.length > 0) logger.info('seeded flags of the applied model', { flags: r.seeded.map((k) => `${k.environment}/${k.key}`) });
    },
    start: () => flags.start(),
    close: async () => {
      await endpoint?.close();
      flags.close();
    },
    status: () => ({ flags: flags.store.all().length, ...(endpoint === undefined ? {} : { ofrep: { url: endpoint.url, restarts: endpoint.restarts } }) }),
  };
}

/** Both start-time env contributions of a task, merged (later ones win on a clash; none of these overlap). */
export function mergeStartEnv(...parts: readonly (StartEnv | undefined)[]): StartEnv {
  return (task, specEnv) => Object.assign({}, ...parts.map((p) => p?.(task, specEnv) ?? {})) as Readonly<Record<string, string>>;
}

/** The port the OFREP worker had at the last start, 0 when none is recorded. */
function previousPort(file: string): number {
  try {
    const port = (JSON.parse(fs.readFileSync(file, 'utf8')) as { port?: unknown }).port;
    return typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65536 ? port : 0;
  } catch {
    return 0;
  }
}
