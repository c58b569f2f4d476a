import type { Db } from '../../core/index.js';
import { SampleSketch } from './sample-sketch.js';

/** The rollup period: points are summarised per series, origin and minute. */
export const ROLLUP_PERIOD_MS = 60_000;

/** Accumulates samples of one write and stores them as rollups; used inside the points' transaction. */
export interface MetricRollupWriter {
  /** Counts one sample (a point's value) of a series. */
  add(seriesId: number, origin: number, timeMs: number, value: number): void;
  /** Merges what was added into `metric_rollups` and forgets it. */
  flush(): void;
}

class Rollup {
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  readonly sketch = new SampleSketch();
  constructor(
    readonly seriesId: number,
    readonly minuteMs: number,
    readonly origin: number,
  ) {}
  add(value: number): void {
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    this.sketch.add(value);
  }
}

interface StoredRollup {
  count: number;
  sum: number;
  min: number;
  max: number;
  sketch: Uint8Array;
}

/**
 * Prepares the statements that keep `metric_rollups`: per (series, minute, origin) the count,
 * sum, minimum, maximum and {@link SampleSketch} of the values written, merged into what an earlier
 * batch stored for the same minute (points may arrive late or out of order).
 */
export function createMetricRollupWriter(db: Db): MetricRollupWriter {
  const find = db.prepare<[number, number, number], StoredRollup>(
    'SELECT count, sum, min, max, sketch FROM metric_rollups WHERE series_id = ? AND minute_ms = ? AND origin = ?',
  );
  const upsert = db.prepare(
    'INSERT OR REPLACE INTO metric_rollups (series_id, minute_ms, origin, count, sum, min, max, sketch) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  let pending = new Map<string, Rollup>();
  return {
    add(seriesId, origin, timeMs, value) {
      // NaN is stored as NULL, which no query reads as a sample.
      if (Number.isNaN(value)) return;
      const minuteMs = Math.floor(timeMs / ROLLUP_PERIOD_MS) * ROLLUP_PERIOD_MS;
      const key = `${seriesId}:${minuteMs}:${origin}`;
      let r = pending.get(key);
      if (r === undefined) pending.set(key, (r = new Rollup(seriesId, minuteMs, origin)));
      r.add(value);
    },
    flush() {
      const rollups = pending;
      pending = new Map();
      for (const r of rollups.values()) {
        const stored = find.get(r.seriesId, r.minuteMs, r.origin);
        if (stored !== undefined) r.sketch.merge(stored.sketch);
        upsert.run(
          r.seriesId, r.minuteMs, r.origin, r.count + (stored?.count ?? 0), r.sum + (stored?.sum ?? 0),
          Math.min(r.min, stored?.min ?? Infinity), Math.max(r.max, stored?.max ?? -Infinity), r.sketch.encode(),
        );
      }
    },
  };
}
