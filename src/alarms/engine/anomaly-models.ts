import { fitAnomalyModel, type AnomalyModel } from '../evaluation/index.js';
import type { CompiledMetricAlarm } from './compile-alarms.js';
import type { QueryMetric } from './query-metric.js';

/** Options of {@link AnomalyModels}. */
export interface AnomalyModelsOptions {
  /** How much history trains a model. @default 604_800_000 (7 days) */
  readonly historyMs?: number;
  /** How long a model is used before it is trained again. @default 3_600_000 (1 hour) */
  readonly refitIntervalMs?: number;
}

/** A model, or why there is none yet. */
export type ModelLookup = { readonly model: AnomalyModel } | { readonly insufficient: string };

interface Entry {
  readonly lookup: ModelLookup;
  readonly fittedAtMs: number;
}

/** Telemetry answers at most 100,000 periods per query; stay well under it. */
const MAX_HISTORY_PERIODS = 50_000;
const MIN_POINTS = 5;

/**
 * Anomaly models per metric query, trained from the metric's own history at the alarm's period
 * (up to `historyMs` before the evaluated range) and refitted every `refitIntervalMs`. A series
 * without enough history is retried after one period (at least a minute), not every round.
 */
export class AnomalyModels {
  readonly #query: QueryMetric;
  readonly #historyMs: number;
  readonly #refitMs: number;
  readonly #cache = new Map<string, Entry>();

  constructor(query: QueryMetric, options: AnomalyModelsOptions = {}) {
    this.#query = query;
    this.#historyMs = options.historyMs ?? 7 * 24 * 3_600_000;
    this.#refitMs = options.refitIntervalMs ?? 3_600_000;
  }

  /** The model of `alarm`'s query at `nowMs`, trained from history ending at `rangeStartMs`. */
  async get(alarm: CompiledMetricAlarm, nowMs: number, rangeStartMs: number): Promise<ModelLookup> {
    const q = alarm.query;
    const cached = this.#cache.get(q.key);
    const ttl = cached !== undefined && 'model' in cached.lookup ? this.#refitMs : Math.min(this.#refitMs, Math.max(q.periodMs, 60_000));
    if (cached !== undefined && nowMs - cached.fittedAtMs < ttl && nowMs >= cached.fittedAtMs) return cached.lookup;
    const historyMs = Math.min(this.#historyMs, MAX_HISTORY_PERIODS * q.periodMs);
    // Trained on trusted points only, like the evaluation: anonymous points cannot shift the band.
    const series = await this.#query({ name: q.metric, dimensions: q.dimensions, stat: q.stat, periodMs: q.periodMs, startMs: rangeStartMs - historyMs, endMs: rangeStartMs, includeAnonymous: false });
    const history = series.timestamps.map((timeMs, i) => ({ timeMs, value: series.values[i] ?? Number.NaN })).filter((p) => Number.isFinite(p.value));
    const lookup: ModelLookup =
      history.length < MIN_POINTS
        ? { insufficient: `Insufficient Data: the anomaly model needs at least ${MIN_POINTS} datapoints of history, found ${history.length}.` }
        : { model: fitAnomalyModel(history, { seasonality: 'daily', minPointsPerBucket: MIN_POINTS }) };
    this.#cache.set(q.key, { lookup, fittedAtMs: nowMs });
    return lookup;
  }

  /** Forgets every model (the next evaluation trains again). */
  clear(): void {
    this.#cache.clear();
  }
}
