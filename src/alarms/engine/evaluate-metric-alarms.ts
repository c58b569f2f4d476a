import type { Logger } from '../../core/index.js';
import { runMetricQuery, type MetricDataReader } from '../../telemetry/index.js';
import {
  anomalyBand,
  evaluateMetricAlarm,
  evaluationWindow,
  alignToPeriod,
  type AlarmState,
  type Evaluation,
} from '../evaluation/index.js';
import type { AnomalyModels } from './anomaly-models.js';
import type { CompiledMetricAlarm } from './compile-alarms.js';
import type { MetricQuery, MetricSeries } from '../../telemetry/index.js';
import type { QueryMetric, QueryMetrics } from './query-metric.js';

/**
 * The outcome of evaluating one alarm: an evaluation (with the latest datapoint of its window, what
 * a scale action's steps are measured from), or an error that kept the state.
 */
export type AlarmOutcome = { readonly name: string; readonly evaluation: Evaluation; readonly latest?: number } | { readonly name: string; readonly error: string };

/** What {@link evaluateMetricAlarms} reads and asks. */
export interface MetricAlarmDeps {
  readonly query: QueryMetric;
  /** Runs all of a round's metric queries in one call; without it (or when it throws) each group asks `query`. */
  readonly queryMany?: QueryMetrics;
  /** Runs metric math (telemetry's `queryMetricData`); without it a math alarm cannot be evaluated. */
  readonly queryData?: MetricDataReader;
  readonly anomalyModels: AnomalyModels;
  readonly previousState: (name: string) => AlarmState;
  readonly logger: Logger;
}

/** Groups alarms by their query key, so one read serves every alarm on the same series. */
function groupByQuery(alarms: readonly CompiledMetricAlarm[]): Map<string, CompiledMetricAlarm[]> {
  const groups = new Map<string, CompiledMetricAlarm[]>();
  for (const a of alarms) {
    const g = groups.get(a.query.key);
    if (g === undefined) groups.set(a.query.key, [a]);
    else g.push(a);
  }
  return groups;
}

/** The query of a group of alarms: its widest evaluation range, trusted points only. */
function groupQuery(group: readonly CompiledMetricAlarm[], nowMs: number): MetricQuery {
  const q = group[0]!.query;
  const endMs = alignToPeriod(nowMs, q.periodMs);
  const widest = Math.max(...group.map((a) => a.settings.evaluationPeriods));
  const startMs = evaluationWindow(nowMs, q.periodMs, widest)[0]!;
  // Trusted points only: an anonymous sender never moves an alarm (nor a rollback, nor an incident).
  return { name: q.metric, dimensions: q.dimensions, stat: q.stat, periodMs: q.periodMs, startMs, endMs, includeAnonymous: false };
}

/**
 * Every plain (non-math) group's series from one `queryMany` call, by query key; empty without it
 * or when the call fails (each group then asks alone, so one bad query fails only its alarms).
 */
async function readShared(groups: readonly CompiledMetricAlarm[][], nowMs: number, deps: MetricAlarmDeps): Promise<Map<string, MetricSeries>> {
  const plain = groups.filter((g) => g[0]!.query.math === undefined);
  if (deps.queryMany === undefined || plain.length === 0) return new Map();
  try {
    const series = await deps.queryMany(plain.map((g) => groupQuery(g, nowMs)));
    return new Map(plain.map((g, i) => [g[0]!.query.key, series[i] ?? { timestamps: [], values: [] }]));
  } catch (err) {
    deps.logger.debug('shared alarm queries failed; asking each alone', { err });
    return new Map();
  }
}

/**
 * Evaluates metric and anomaly alarms at `nowMs`: one telemetry query per distinct (metric,
 * dimensions, stat, period) over trusted points, spanning the widest evaluation range of its
 * alarms — all of them in one `queryMany` call where telemetry offers it; then CloudWatch's rules
 * per alarm. A failure is caught per group or per alarm and returned as that alarm's error.
 */
export async function evaluateMetricAlarms(
  alarms: readonly CompiledMetricAlarm[],
  nowMs: number,
  deps: MetricAlarmDeps,
): Promise<AlarmOutcome[]> {
  const out: AlarmOutcome[] = [];
  const runnable: CompiledMetricAlarm[] = [];
  for (const a of alarms) {
    if (a.problem === undefined) runnable.push(a);
    else out.push({ name: a.name, evaluation: { state: 'INSUFFICIENT_DATA', reason: a.problem, breachingCount: 0, evaluatedCount: 0 } });
  }
  const groups = [...groupByQuery(runnable).values()];
  const shared = await readShared(groups, nowMs, deps);
  for (const group of groups) {
    const q = group[0]!.query;
    const mq = groupQuery(group, nowMs);
    let byTime: Map<number, number>;
    try {
      const series =
        q.math !== undefined
          ? runMetricQuery(deps.queryData ?? noMath, q.math, { periodMs: mq.periodMs, startMs: mq.startMs, endMs: mq.endMs })
          : (shared.get(q.key) ?? (await deps.query(mq)));
      byTime = new Map(series.timestamps.map((t, i) => [t, series.values[i]!]));
    } catch (err) {
      deps.logger.warn('alarm query failed', { metric: q.metric, alarms: group.map((a) => a.name), err });
      for (const a of group) out.push({ name: a.name, error: `the metric query failed: ${(err as Error).message}` });
      continue;
    }
    for (const a of group) {
      try {
        const window = evaluationWindow(nowMs, a.settings.periodMs, a.settings.evaluationPeriods);
        const latest = [...window].reverse().map((t) => byTime.get(t)).find((v) => v !== undefined);
        out.push({ name: a.name, evaluation: await evaluateOne(a, byTime, nowMs, deps), ...(latest === undefined ? {} : { latest }) });
      } catch (err) {
        deps.logger.warn('alarm evaluation failed', { alarm: a.name, err });
        out.push({ name: a.name, error: (err as Error).message });
      }
    }
  }
  return out;
}

async function evaluateOne(
  a: CompiledMetricAlarm,
  byTime: ReadonlyMap<number, number>,
  nowMs: number,
  deps: { readonly anomalyModels: AnomalyModels; readonly previousState: (name: string) => AlarmState },
): Promise<Evaluation> {
  const window = evaluationWindow(nowMs, a.settings.periodMs, a.settings.evaluationPeriods);
  const datapoints = window.map((t) => byTime.get(t) ?? null);
  const previousState = deps.previousState(a.name);
  const rangeStartMs = window[0]!;
  if (a.kind === 'Metric') return evaluateMetricAlarm({ alarm: a.settings, datapoints, previousState, rangeStartMs });
  const lookup = await deps.anomalyModels.get(a, nowMs, rangeStartMs);
  if ('insufficient' in lookup) return { state: 'INSUFFICIENT_DATA', reason: lookup.insufficient, breachingCount: 0, evaluatedCount: 0 };
  const band = window.map((t) => anomalyBand(lookup.model, t, a.bandWidth));
  return evaluateMetricAlarm({ alarm: a.settings, datapoints, band, previousState, rangeStartMs });
}

function noMath(): never {
  throw new Error('metric math needs telemetry that runs queryMetricData');
}
