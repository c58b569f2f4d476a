import { EventLog, ManualClock, eventMigrations, openDatabase, type Db, type SlipwayEvent } from '../../src/core/index.js';
import { createAlarms, type Alarms, type AlarmsOptions, type QueryMetric } from '../../src/alarms/index.js';
import type { MetricQuery, MetricSeries } from '../../src/telemetry/index.js';
import { parseAlarmRule, referencedAlarms, type ResolvedAlarm, type ResolvedApp } from '../../src/shared/index.js';

/** 2026-01-01T00:00:00Z, a whole number of every period used in the tests. */
export const T0 = Date.UTC(2026, 0, 1);
export const MINUTE = 60_000;

type MetricFields = Partial<Omit<Extract<ResolvedAlarm, { kind: 'Metric' }>, 'name' | 'kind'>>;

/** A resolved metric alarm: `metric` > `threshold`, 1-minute periods, N = M = 1, unless told otherwise. */
export function metricAlarm(name: string, fields: MetricFields = {}): ResolvedAlarm {
  return {
    name,
    kind: 'Metric',
    description: undefined,
    notify: [],
    metric: 'Errors',
    service: 'gateway',
    environment: 'production',
    stat: 'Sum',
    periodMs: MINUTE,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: 'missing',
    threshold: 5,
    comparison: 'GreaterThanThreshold',
    ...fields,
  } as ResolvedAlarm;
}

/** A resolved anomaly alarm on `metric`. */
export function anomalyAlarm(name: string, fields: Partial<Omit<Extract<ResolvedAlarm, { kind: 'Anomaly' }>, 'name' | 'kind'>> = {}): ResolvedAlarm {
  return {
    name,
    kind: 'Anomaly',
    description: undefined,
    notify: [],
    metric: 'Latency',
    service: 'gateway',
    environment: 'production',
    stat: 'Average',
    periodMs: MINUTE,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: 'missing',
    band: 3,
    comparison: 'LessThanLowerOrGreaterThanUpperThreshold',
    ...fields,
  } as ResolvedAlarm;
}

/** A resolved composite alarm. */
export function compositeAlarm(name: string, rule: string, notify: string[] = []): ResolvedAlarm {
  const ruleTree = parseAlarmRule(rule);
  return { name, kind: 'Composite', description: undefined, runbook: undefined, notify, rule, ruleTree, references: referencedAlarms(ruleTree) };
}

/**
 * A fake `queryMetric`: datapoints set per (metric, service, environment) and period start. It
 * ignores the statistic (the value set is the statistic's value) and counts its calls.
 */
export class FakeMetrics {
  readonly #series = new Map<string, Map<number, number>>();
  readonly calls: MetricQuery[] = [];
  failWith: Error | undefined;

  static key(metric: string, dims: Readonly<Record<string, string>> = { service: 'gateway', environment: 'production' }): string {
    return JSON.stringify([metric, dims.service ?? null, dims.environment ?? null]);
  }

  /** Sets the datapoint of the period starting at `periodStartMs`. */
  set(metric: string, periodStartMs: number, value: number, dims?: Readonly<Record<string, string>>): void {
    const key = FakeMetrics.key(metric, dims);
    let s = this.#series.get(key);
    if (s === undefined) this.#series.set(key, (s = new Map()));
    s.set(periodStartMs, value);
  }

  /** Sets consecutive datapoints, one per `periodMs`, from `startMs`; `null` leaves a period empty. */
  setSeries(metric: string, startMs: number, periodMs: number, values: readonly (number | null)[], dims?: Readonly<Record<string, string>>): void {
    values.forEach((v, i) => {
      if (v !== null) this.set(metric, startMs + i * periodMs, v, dims);
    });
  }

  readonly query: QueryMetric = (q) => {
    this.calls.push(q);
    if (this.failWith !== undefined) throw this.failWith;
    const s = this.#series.get(FakeMetrics.key(q.name, q.dimensions)) ?? new Map<number, number>();
    const out: MetricSeries = { timestamps: [], values: [] };
    for (const [t, v] of [...s].sort((a, b) => a[0] - b[0])) {
      if (t >= q.startMs && t < q.endMs && t % q.periodMs === 0) {
        out.timestamps.push(t);
        out.values.push(v);
      }
    }
    return out;
  };
}

/** What {@link alarmsFixture} gives a test. */
export interface AlarmsFixture {
  readonly db: Db;
  readonly clock: ManualClock;
  readonly events: EventLog;
  readonly metrics: FakeMetrics;
  /** Creates the alarms context over these alarms (closed by `close`). */
  make(alarms: readonly ResolvedAlarm[], extra?: Partial<AlarmsOptions> & { notifications?: ResolvedApp['notifications'] }): Alarms;
  /** The `alarm.state.changed` events, of one alarm when named. */
  stateChanges(alarm?: string): SlipwayEvent[];
  close(): Promise<void>;
}

/** A fresh database, event log and manual clock, and a way to build the alarms context on them. */
export function alarmsFixture(start = T0): AlarmsFixture {
  const db: Db = openDatabase(':memory:', { migrations: eventMigrations });
  const clock = new ManualClock(start);
  const events = new EventLog(db, { clock });
  const metrics = new FakeMetrics();
  const opened: Alarms[] = [];
  const make = (alarms: readonly ResolvedAlarm[], extra: Partial<AlarmsOptions> & { notifications?: ResolvedApp['notifications'] } = {}): Alarms => {
    const app = { alarms: Object.fromEntries(alarms.map((a) => [a.name, a])), notifications: extra.notifications ?? {} };
    const a = createAlarms({ db, events, clock, telemetry: { queryMetric: metrics.query }, ...extra, app });
    opened.push(a);
    return a;
  };
  const stateChanges = (alarm?: string): SlipwayEvent[] => events.list({ type: 'alarm.state.changed' }).filter((e) => alarm === undefined || e.data.alarm === alarm);
  const close = async (): Promise<void> => {
    for (const a of opened.splice(0)) await a.close();
    db.close();
  };
  return { db, clock, events, metrics, make, stateChanges, close };
}

/** The moment just after the period starting at `periodStartMs` closed (when the evaluator runs). */
export function afterPeriod(periodStartMs: number, periodMs = MINUTE): number {
  return periodStartMs + periodMs + 1000;
}
