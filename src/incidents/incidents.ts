import { silentLogger, systemClock, type Clock, type Db, type EventLog, type Logger } from '../core/index.js';
import type { ResolvedApp } from '../shared/index.js';
import type { FastifyInstance } from 'fastify';
import { AlarmConsumer } from './alarm-consumer.js';
import type { MetricSource } from './impact.js';
import { incidentRoutes } from './routes.js';
import { IncidentService, type Mitigator } from './service.js';
import { defaultSeverityRule, type SeverityOptions, type SeverityRule } from './severity.js';
import { IncidentStore } from './store/incident-store.js';
import { Escalator } from './oncall/escalator.js';
import { onCallRoutes } from './oncall/routes.js';

/** Options of {@link createIncidents}. */
export interface IncidentsOptions {
  /**
   * The control plane's database, already migrated with `incidentMigrations`. Use the connection the
   * event log writes to: an incident's status and its event are then committed together.
   */
  readonly db: Db;
  /** The event log: read for alarms and timelines, written with `incident.*` events. */
  readonly events: EventLog;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default silentLogger */
  readonly logger?: Logger;
  /** Carries out `rollback` actions; without it they answer 503. */
  readonly mitigator?: Mitigator;
  /** Telemetry's `queryMetric`, for the impact numbers of postmortems; without it they are "not measured". */
  readonly metrics?: MetricSource;
  /** The app model: the alarms' service, environment and definition, and `rollbackOn` (severity, likely causes). */
  readonly app?: ResolvedApp;
  /** A severity rule replacing the default, or options of the default rule. @default defaultSeverityRule(app) */
  readonly severity?: SeverityRule | SeverityOptions;
  /** How far before the trigger timelines start. @default 30 min */
  readonly timelineLookbackMs?: number;
  /** Changes to the affected service this long before the trigger are likely causes. @default 30 min */
  readonly likelyCauseWindowMs?: number;
  /** How often pending escalations are looked at (besides each incident event). @default 1000 */
  readonly escalationIntervalMs?: number;
}

/** The incidents context, as the composition root uses it. */
export interface Incidents {
  /** The use-cases (what routes call). */
  readonly service: IncidentService;
  /** The API routes, for `buildServer({ routes })`. */
  readonly routes: (app: FastifyInstance) => void;
  /** Processes alarm events appended since the last run, then follows the log; starts paging and escalating. */
  start(): void;
  /** Resolves once every alarm event appended so far has been processed and escalations due now were paged (tests, shutdown). */
  flush(): Promise<void>;
  /** Stops following the log and escalating. */
  close(): Promise<void>;
}

/** Default of the timeline lookback and the likely-cause window: 30 minutes. */
export const DEFAULT_TIMELINE_WINDOW_MS = 30 * 60_000;

/**
 * Builds the incidents context: incidents opened from `alarm.state.changed` events (one open incident
 * per alarm, environment and service) or by hand, their lifecycle, timelines reconstructed from the
 * event log, mitigation actions and postmortems, and paging the on-call with escalation (docs/oncall.md).
 */
export function createIncidents(options: IncidentsOptions): Incidents {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const timeline = { lookbackMs: options.timelineLookbackMs ?? DEFAULT_TIMELINE_WINDOW_MS, likelyCauseWindowMs: options.likelyCauseWindowMs ?? DEFAULT_TIMELINE_WINDOW_MS };
  const store = new IncidentStore(options.db);
  const service = new IncidentService({ store, events: options.events, clock, logger, mitigator: options.mitigator, metrics: options.metrics, timeline, ...(options.app === undefined ? {} : { app: options.app }) });
  const severity = typeof options.severity === 'function' ? options.severity : defaultSeverityRule(options.app, options.severity);
  const consumer = new AlarmConsumer({ events: options.events, store, service, severity, app: options.app, timeline, logger });
  const oncall = () => options.app?.oncall;
  const escalator = new Escalator({ store, service, events: options.events, clock, logger: logger.child('oncall'), oncall, ...(options.escalationIntervalMs === undefined ? {} : { intervalMs: options.escalationIntervalMs }) });
  const routes = [incidentRoutes(service), onCallRoutes(oncall, () => clock.now())];
  return {
    service,
    routes: (app) => routes.forEach((r) => r(app)),
    start: () => {
      consumer.start();
      escalator.start();
    },
    flush: async () => {
      await consumer.flush();
      await escalator.flush();
    },
    close: async () => {
      consumer.stop();
      escalator.stop();
    },
  };
}
