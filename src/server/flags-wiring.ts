import { readOrCreateSecret, type DataDir, type Db, type EventLog, type Logger } from '../core/index.js';
import { FlagTokens, createFlags, type Flags } from '../flags/index.js';
import type { StartEnv } from '../runtime/index.js';
import type { ResolvedApp } from '../shared/index.js';
import type { Telemetry } from '../telemetry/index.js';
import type { RoutesPlugin } from './build-server.js';

/** The variable a task finds the control plane's OFREP base URL in (an OFREP provider's `baseUrl`). */
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
}

/** Flags, wired into the control plane. */
export interface FlagsWiring {
  readonly flags: Flags;
  /** The OFREP routes and the flags API. */
  readonly routes: RoutesPlugin;
  /** Signs and checks the tasks' read-only flag tokens. */
  readonly tokens: FlagTokens;
  /**
   * What each task gets at start: `SLIPWAY_FLAGS_URL` (`url()`, the API's base URL, which OFREP
   * providers append `/ofrep/v1/…` to) and `SLIPWAY_FLAGS_TOKEN`, bound to its environment and service.
   */
  startEnv(url: () => string): StartEnv;
  /** Seeds the flags of an app model that an apply changed (new flags appear; stored ones keep their state). */
  reseed(app: ResolvedApp): void;
  /** Starts flushing impressions. */
  start(): void;
  /** Flushes the last impressions and stops. */
  close(): void;
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
  const tokens = new FlagTokens(readOrCreateSecret(o.dataDir.flagsKeyFile, { rotation: KEY_ROTATION }));
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
  return {
    flags,
    tokens,
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
    close: () => flags.close(),
    status: () => ({ flags: flags.store.all().length }),
  };
}

/** Both start-time env contributions of a task, merged (later ones win on a clash; none of these overlap). */
export function mergeStartEnv(...parts: readonly (StartEnv | undefined)[]): StartEnv {
  return (task, specEnv) => Object.assign({}, ...parts.map((p) => p?.(task, specEnv) ?? {})) as Readonly<Record<string, string>>;
}
