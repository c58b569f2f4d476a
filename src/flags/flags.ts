import type { FastifyInstance, FastifyRequest } from 'fastify';
import { migrate, systemClock, type Clock, type Db } from '../core/index.js';
import type { ResolvedApp } from '../shared/index.js';
import { flagApiRoutes } from './api/routes.js';
import { ImpressionPublisher, type MetricPointSink } from './impressions/impression-publisher.js';
import type { FlagCaller, FlagCredentialCheck } from './ofrep/credentials.js';
import { ofrepRoutes } from './ofrep/routes.js';
import { FlagStore } from './store/flag-store.js';
import { flagMigrations } from './store/migrations.js';
import type { FlagEventAppender, SeedReport } from './store/model.js';

/** Options of {@link createFlags}. */
export interface FlagsOptions {
  /** The control plane's database; `flagMigrations` are applied to it if they are not yet. */
  readonly db: Db;
  /** The app model whose flags are seeded into the store; undefined seeds nothing. */
  readonly app: ResolvedApp | undefined;
  /** Appends each flag change to the event log (see {@link FlagEventAppender}). */
  readonly appendEvent: FlagEventAppender;
  /** Checks the read-only flag credential of each OFREP request. */
  readonly authenticate: FlagCredentialCheck;
  /** Where impression points go (telemetry's `ingestMetricPoints`). */
  readonly ingestMetricPoints: MetricPointSink;
  /**
   * The environment an OFREP request reads.
   * @default the environment the caller's credential is bound to
   */
  readonly environmentOf?: (caller: FlagCaller, request: FastifyRequest) => string | undefined;
  /**
   * The environments the flags API may write flags in, in listing order.
   * @default the app model's environments; any environment without an app model
   */
  readonly environments?: () => readonly string[];
  /** Time between impression flushes. @default 10000 */
  readonly impressionIntervalMs?: number;
  /** Where time comes from. @default systemClock */
  readonly clock?: Clock;
  /** Told of failures in the background (an impression flush that threw). @default ignore */
  readonly onError?: (err: unknown) => void;
}

/** The flags context, composed: its store, the OFREP routes and the impression flushing. */
export interface Flags {
  /** Flag definitions per environment, versioned. */
  readonly store: FlagStore;
  /** What seeding the app model did when the context was created; undefined without an app model. */
  readonly seedReport: SeedReport | undefined;
  /** Counts evaluations and flushes them into telemetry. */
  readonly impressions: ImpressionPublisher;
  /** The OFREP routes (`/ofrep/v1/evaluate/flags…`), to register with the API server. */
  readonly routes: (app: FastifyInstance) => Promise<void>;
  /** The flags API (`/api/v1/flags…`: list, get with history, put, enable, disable), to register with the API server. */
  readonly apiRoutes: (app: FastifyInstance) => void;
  /** Starts flushing impressions on the interval. Idempotent. */
  start(): void;
  /** Stops flushing, after a last flush so the final counts reach telemetry. */
  close(): void;
}

/**
 * Creates the flags context on the control plane's database: migrates, seeds the app model's
 * flags (flags already stored keep their state; see {@link FlagStore.seed}), and wires the OFREP
 * routes and the flags API to the store, and the OFREP routes to an impression publisher.
 */
export function createFlags(options: FlagsOptions): Flags {
  migrate(options.db, flagMigrations);
  const clock = options.clock ?? systemClock;
  const store = new FlagStore(options.db, { appendEvent: options.appendEvent, clock });
  const seedReport = options.app === undefined ? undefined : store.seed(options.app);
  const impressions = new ImpressionPublisher({ sink: options.ingestMetricPoints, clock, intervalMs: options.impressionIntervalMs, onError: options.onError });
  const routes = ofrepRoutes({ store, authenticate: options.authenticate, impressions, environmentOf: options.environmentOf });
  const app = options.app;
  const environments = options.environments ?? (app === undefined ? undefined : () => Object.keys(app.environments));
  const apiRoutes = flagApiRoutes({ store, ...(environments === undefined ? {} : { environments }), ...(app === undefined ? {} : { segments: () => app.segments }) });
  return { store, seedReport, impressions, routes, apiRoutes, start: () => impressions.start(), close: () => impressions.shutdown() };
}
