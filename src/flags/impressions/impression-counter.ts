import type { MetricPoint } from '../../telemetry/index.js';

/** One flag served to one caller. */
export interface Impression {
  readonly environment: string;
  /** The calling service. */
  readonly service: string;
  readonly flag: string;
  /** The variant served; empty for an evaluation that failed (reason `ERROR`). */
  readonly variant: string;
  /** The OpenFeature reason, e.g. `SPLIT`, `DISABLED`, `ERROR`. */
  readonly reason: string;
}

/** Where evaluations are counted; the OFREP routes call it once per flag evaluated. */
export interface ImpressionRecorder {
  /** Counts `count` evaluations (1 unless a local evaluator reports a batch). */
  record(impression: Impression, count?: number): void;
}

/** The metric impressions are published as. */
export const IMPRESSIONS_METRIC = 'feature_flag.impressions';

/** The service name impression points are stored under (the caller is the `service` attribute), like the router's. */
export const FLAGS_METRICS_SERVICE = 'slipway-flags';

/**
 * Counts impressions in memory per environment, service, flag, variant and reason, and turns the
 * counts into cumulative, monotonic sums since `startMs` (telemetry takes reset-aware deltas, so a
 * restart that starts again from zero loses nothing already published). The series are bounded:
 * only stored flags are counted (never a key a caller made up), their variants are declared, and
 * callers are the services credentials were issued to.
 */
export class ImpressionCounter implements ImpressionRecorder {
  readonly #startMs: number;
  readonly #counts = new Map<string, { impression: Impression; count: number }>();

  /** @param startMs when counting started, ms since the epoch (the points' `startTimeMs`) */
  constructor(startMs: number) {
    this.#startMs = startMs;
  }

  /** Counts `count` impressions of one series. */
  record(impression: Impression, count = 1): void {
    const id = JSON.stringify([impression.environment, impression.service, impression.flag, impression.variant, impression.reason]);
    const entry = this.#counts.get(id);
    if (entry === undefined) this.#counts.set(id, { impression: { ...impression }, count });
    else entry.count += count;
  }

  /** Every series and its count, e.g. to hand a batch to another recorder. */
  entries(): { readonly impression: Impression; readonly count: number }[] {
    return [...this.#counts.values()].map(({ impression, count }) => ({ impression, count }));
  }

  /** The number of series counted. */
  get size(): number {
    return this.#counts.size;
  }

  /** Every series as a metric point at `timeMs`: `feature_flag.impressions`, a cumulative monotonic sum. */
  points(timeMs: number): MetricPoint[] {
    const resource = { 'service.name': FLAGS_METRICS_SERVICE };
    return [...this.#counts.values()].map(({ impression: i, count }) => ({
      name: IMPRESSIONS_METRIC,
      unit: '{impression}',
      description: 'Flag evaluations served, per environment, calling service, flag, variant and reason',
      kind: 'Sum' as const,
      temporality: 'Cumulative' as const,
      monotonic: true,
      service: FLAGS_METRICS_SERVICE,
      resource,
      attributes: { environment: i.environment, service: i.service, 'feature_flag.key': i.flag, 'feature_flag.result.variant': i.variant, 'feature_flag.result.reason': i.reason },
      startTimeMs: this.#startMs,
      timeMs,
      value: count,
    }));
  }
}
