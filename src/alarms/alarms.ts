import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { migrate, silentLogger, systemClock, type Clock, type Db, type EventLog, type Logger } from '../core/index.js';
import { InputError, NotFoundError, isRunbookUrl, type ResolvedApp } from '../shared/index.js';
import type { AlarmState } from './evaluation/index.js';
import { AlarmStore } from './engine/alarm-store.js';
import { AnomalyModels, type AnomalyModelsOptions } from './engine/anomaly-models.js';
import { compileAlarms, type CompiledAlarm } from './engine/compile-alarms.js';
import { DeploymentTracker } from './engine/deployment-tracker.js';
import { EvaluationLoop } from './engine/evaluation-loop.js';
import { AlarmEvaluator, type AlarmScaler, type RoundResult } from './engine/evaluator.js';
import { alarmMigrations } from './engine/migrations.js';
import type { AlarmHistoryEntry, AlarmRecord, AlarmSummary } from './engine/model.js';
import type { QueryMetric, QueryMetrics } from './engine/query-metric.js';
import type { MetricDataReader } from '../telemetry/index.js';
import { DeadLetterStore, type DeadLetter } from './notify/dead-letter-store.js';
import type { DeliveryPolicy } from './notify/delivery-queue.js';
import type { Subscription } from './notify/model.js';
import { Notifier } from './notify/notifier.js';
import type { SecretSource, Transport } from './notify/transports/index.js';
import { alarmRoutes } from './routes.js';

/** Options of {@link createAlarms}. */
export interface AlarmsOptions {
  /** The app model: its `alarms`, `notifications` and the contacts of `oncall` users (pages reach them). */
  readonly app: Pick<ResolvedApp, 'alarms' | 'notifications' | 'oncall'>;
  /** The control plane's database; `alarmMigrations` are applied to it if they are not yet. */
  readonly db: Db;
  /** The event log: state changes are appended to it; deployment and other events are read from it. */
  readonly events: EventLog;
  /** Where datapoints come from (the Telemetry facade). */
  readonly telemetry: { readonly queryMetric: QueryMetric; readonly queryMetrics?: QueryMetrics; readonly queryMetricData?: MetricDataReader };
  /** Runs alarms' `scale` actions (the local autoscaler). @default none: scale actions are not run */
  readonly scaler?: AlarmScaler;
  /** Where time comes from. @default the system clock */
  readonly clock?: Clock;
  /** Diagnostic logger. @default silentLogger */
  readonly logger?: Logger;
  /**
   * How long after a period closes its alarms are evaluated, so the period's last datapoints are
   * written (telemetry writes within 200 ms). Capped at half the period. @default 1000
   */
  readonly evaluationDelayMs?: number;
  /** Values of webhook signing secrets, by name. @default none: signed webhooks are dead-lettered */
  readonly secrets?: SecretSource;
  /** Directory file-sink paths are relative to (the app's). @default process.cwd() */
  readonly appDir?: string;
  /** Retries, timeouts and concurrency of notification deliveries. @default 4 at once, 5 s, 5 attempts, 1 s doubling */
  readonly delivery?: DeliveryPolicy;
  /** History and refit interval of anomaly models. @default 7 days, refit hourly */
  readonly anomaly?: AnomalyModelsOptions;
  /** How notifications are delivered (tests). @default webhook, Slack, SMTP and file transports */
  readonly transport?: Transport;
}

/** The alarms context: the evaluator, the notifier, their API. */
export interface Alarms {
  /** Starts evaluating on schedule: each alarm just after each of its periods closes. Idempotent. */
  start(): void;
  /**
   * Reads the alarms and topics of the app model again (an apply changed them): kept alarms keep
   * their state, new ones start INSUFFICIENT_DATA, removed ones stop being evaluated.
   */
  reload(): Promise<void>;
  /** Stops the schedule, waits for a round in progress, stops following the log and aborts deliveries in flight. */
  close(): Promise<void>;
  /** The API routes (`/api/v1/alarms*`, `/api/v1/notifications/dead-letters`). */
  readonly routes: (app: FastifyInstance) => void;
  /** Evaluates every alarm at `nowMs` (metric and anomaly, then composites) and returns what happened. @default clock.now() */
  evaluateNow(nowMs?: number): Promise<RoundResult>;
  /** Mutes an alarm's actions until `untilMs` (it still evaluates). @throws NotFoundError, InputError `SLW_ERR_ALARM_MUTE_INVALID` */
  mute(name: string, untilMs: number): AlarmSummary;
  /** Ends a mute. @throws NotFoundError `SLW_ERR_ALARM_NOT_FOUND` */
  unmute(name: string): AlarmSummary;
  /** Every configured alarm with its state. */
  list(): AlarmSummary[];
  /** One alarm with its state. @throws NotFoundError `SLW_ERR_ALARM_NOT_FOUND` */
  get(name: string): AlarmSummary;
  /**
   * The Markdown of an alarm's runbook when it is a file next to the config file (read at call
   * time, so an edited runbook shows without a restart); undefined for a URL, no runbook, or a file
   * that is gone or larger than 256 KiB.
   * @throws NotFoundError `SLW_ERR_ALARM_NOT_FOUND`
   */
  runbookMarkdown(name: string): string | undefined;
  /** An alarm's history, newest first. @throws NotFoundError `SLW_ERR_ALARM_NOT_FOUND` */
  history(name: string, limit?: number): AlarmHistoryEntry[];
  /** An alarm's current state. @throws NotFoundError `SLW_ERR_ALARM_NOT_FOUND` */
  state(name: string): AlarmState;
  /** Notifications given up on, newest first. */
  deadLetters(limit?: number): DeadLetter[];
  /** Resolves when every queued notification has been delivered or dead-lettered. */
  flushNotifications(): Promise<void>;
}

/** The on-call users' own subscriptions, by user. */
function contactsOf(app: Pick<ResolvedApp, 'oncall'>): Record<string, readonly Subscription[]> {
  return Object.fromEntries(Object.values(app.oncall?.users ?? {}).map((u) => [u.name, u.subscriptions as readonly Subscription[]]));
}

const MAX_RUNBOOK_BYTES = 256 * 1024;

/** A runbook file's text, if it is a regular file inside `appDir` and not too large. */
function readRunbook(appDir: string, ref: string): string | undefined {
  const file = path.resolve(appDir, ref);
  if (path.relative(appDir, file).startsWith('..')) return undefined;
  try {
    const stat = fs.statSync(file);
    return stat.isFile() && stat.size <= MAX_RUNBOOK_BYTES ? fs.readFileSync(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

function summary(r: AlarmRecord, nowMs: number, def: Pick<CompiledAlarm, 'service' | 'environment' | 'description' | 'runbook' | 'notify'> | undefined): AlarmSummary {
  const muted = r.mutedUntilMs !== undefined && r.mutedUntilMs > nowMs;
  return {
    name: r.name,
    kind: r.kind,
    service: def?.service,
    environment: def?.environment,
    description: def?.description,
    runbook: def?.runbook,
    notify: def?.notify ?? [],
    state: r.state, reason: r.reason, updatedAtMs: r.stateUpdatedAtMs, lastEvaluatedAtMs: r.lastEvaluatedAtMs, muted, mutedUntilMs: muted ? r.mutedUntilMs : undefined, error: r.error };
}

/**
 * Creates the alarms context. Creating it follows the event log at once (deployments in progress,
 * events to notify about); evaluation on a schedule starts with `start()`, and `evaluateNow()`
 * evaluates on demand.
 */
export function createAlarms(options: AlarmsOptions): Alarms {
  const clock = options.clock ?? systemClock;
  const logger = (options.logger ?? silentLogger).child('alarms');
  migrate(options.db, alarmMigrations);
  let compiled = compileAlarms(options.app.alarms);
  const store = new AlarmStore(options.db);
  const deployments = new DeploymentTracker(options.events, clock);
  deployments.start();
  const query = options.telemetry.queryMetric;
  const queryData = options.telemetry.queryMetricData;
  const queryMany = options.telemetry.queryMetrics;
  const evaluator = new AlarmEvaluator({
    compiled,
    store,
    events: options.events,
    query,
    ...(queryData ? { queryData: (req) => queryData(req) } : {}),
    ...(queryMany ? { queryMany: (qs) => queryMany(qs) } : {}),
    ...(options.scaler ? { scaler: options.scaler } : {}),
    anomalyModels: new AnomalyModels(query, options.anomaly),
    deployments,
    clock,
    logger,
  });
  const deadLetters = new DeadLetterStore(options.db);
  const notifier = new Notifier({
    topics: options.app.notifications as Readonly<Record<string, readonly Subscription[]>>,
    contacts: contactsOf(options.app),
    events: options.events,
    deadLetters,
    clock,
    logger: logger.child('notify'),
    ...(options.secrets === undefined ? {} : { secrets: options.secrets }),
    ...(options.appDir === undefined ? {} : { baseDir: options.appDir }),
    ...(options.delivery === undefined ? {} : { policy: options.delivery }),
    ...(options.transport === undefined ? {} : { transport: options.transport }),
  });
  notifier.start();
  const newLoop = () => new EvaluationLoop({ alarms: compiled.metric, clock, delayMs: options.evaluationDelayMs ?? 1000, run: (due, nowMs) => evaluator.round(due, nowMs), logger });
  let loop = newLoop();
  let started = false;

  const get = (name: string): AlarmRecord => {
    const r = evaluator.record(name);
    if (r === undefined) throw new NotFoundError('SLW_ERR_ALARM_NOT_FOUND', `no alarm named "${name}"`);
    return r;
  };
  const setMute = (name: string, untilMs: number | undefined): AlarmSummary => {
    const r = get(name);
    const nowMs = clock.now();
    store.setMute(name, untilMs);
    evaluator.setMute(name, untilMs);
    const until = untilMs === undefined ? undefined : new Date(untilMs).toISOString();
    store.write([], [{ alarm: name, timeMs: nowMs, type: 'Mute', summary: until === undefined ? 'Actions unmuted' : `Actions muted until ${until}`, data: { mutedUntilMs: untilMs ?? null } }]);
    options.events.append({ type: until === undefined ? 'alarm.unmuted' : 'alarm.muted', subject: `alarm/${name}`, data: { alarm: name, kind: r.kind, ...(untilMs === undefined ? {} : { mutedUntilMs: untilMs, mutedUntil: until }) } });
    return summary(get(name), nowMs, compiled.byName.get(name));
  };

  return {
    start: () => {
      started = true;
      loop.start();
    },
    async reload() {
      compiled = compileAlarms(options.app.alarms);
      await evaluator.replace(compiled);
      notifier.setTopics(options.app.notifications as Readonly<Record<string, readonly Subscription[]>>, contactsOf(options.app));
      loop.close();
      loop = newLoop();
      if (started) loop.start();
    },
    async close() {
      loop.close();
      await evaluator.idle();
      deployments.close();
      notifier.close();
    },
    routes: alarmRoutes({
      list: () => evaluator.records().map((r) => summary(r, clock.now(), compiled.byName.get(r.name))),
      get: (name) => summary(get(name), clock.now(), compiled.byName.get(name)),
      runbookMarkdown: (name) => runbookMarkdown(name),
      history: (name, limit) => (get(name), store.history(name, limit)),
      mute: (name, untilMs) => mute(name, untilMs),
      unmute: (name) => setMute(name, undefined),
      deadLetters: (limit) => deadLetters.list(limit),
      now: () => clock.now(),
    }),
    evaluateNow: (nowMs = clock.now()) => evaluator.round(compiled.metric, nowMs),
    mute,
    unmute: (name) => setMute(name, undefined),
    list: () => evaluator.records().map((r) => summary(r, clock.now(), compiled.byName.get(r.name))),
    get: (name) => summary(get(name), clock.now(), compiled.byName.get(name)),
    runbookMarkdown: (name) => runbookMarkdown(name),
    history: (name, limit) => (get(name), store.history(name, limit)),
    state: (name) => get(name).state,
    deadLetters: (limit) => deadLetters.list(limit),
    flushNotifications: () => notifier.idle(),
  };

  function runbookMarkdown(name: string): string | undefined {
    get(name);
    const ref = compiled.byName.get(name)?.runbook;
    if (ref === undefined || isRunbookUrl(ref)) return undefined;
    return readRunbook(path.resolve(options.appDir ?? process.cwd()), ref);
  }

  function mute(name: string, untilMs: number): AlarmSummary {
    if (!Number.isFinite(untilMs) || untilMs <= clock.now()) {
      throw new InputError('SLW_ERR_ALARM_MUTE_INVALID', `untilMs: ${untilMs} is not in the future (now is ${clock.now()})`, { issues: [{ path: 'untilMs', message: 'must be in the future' }] });
    }
    return setMute(name, untilMs);
  }
}
