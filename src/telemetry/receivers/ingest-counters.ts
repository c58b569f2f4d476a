import type { MetricPoint } from '../model/index.js';
import type { IngestQueueStats } from '../store/ingest-queue.js';
import type { OtlpSignal } from '../otlp/index.js';

/** Counters of one OTLP signal. */
export interface OtlpSignalCounters {
  /** Requests received. */
  requests: number;
  /** Items (spans, data points, log records) accepted. */
  accepted: number;
  /** Items rejected inside otherwise valid requests (partial success), a service key's foreign items included. */
  rejected: number;
  /** Requests refused as a whole (4xx) or failed (5xx). */
  errors: number;
  /** Of `errors`: requests refused without a valid key (401) or for a key that may not write the signal (403). */
  denied: number;
  /**
   * Requests answered 503 with `Retry-After` because the decode queue was full: nothing of
   * them was stored, and OTLP senders send them again. Not counted in `errors`.
   */
  throttled: number;
}

/** Counters of the X-Ray receiver. */
export interface XrayCounters {
  /** Datagrams received. */
  datagrams: number;
  /** Spans accepted. */
  accepted: number;
  /** Datagrams refused (bad header, bad JSON, bad ids, too large, out of window, no valid key, another service). */
  rejected: number;
  /** Of `rejected`: datagrams refused without a valid key or for a service key of another service. */
  denied: number;
}

/** A snapshot of every receiver counter. */
export interface IngestCountersSnapshot {
  /** OTLP/HTTP, by signal. */
  readonly otlp: Readonly<Record<OtlpSignal, Readonly<OtlpSignalCounters>>>;
  /** X-Ray UDP. */
  readonly xray: Readonly<XrayCounters>;
  /** Items given to the in-process API, by signal. */
  readonly direct: Readonly<Record<OtlpSignal, number>>;
}

const zero = (): OtlpSignalCounters => ({ requests: 0, accepted: 0, rejected: 0, errors: 0, denied: 0, throttled: 0 });

/** In-memory counters of the receivers; slipway publishes them as its own metrics. */
export class IngestCounters {
  /** OTLP counters by signal. */
  readonly otlp: Record<OtlpSignal, OtlpSignalCounters> = { traces: zero(), metrics: zero(), logs: zero() };
  /** X-Ray counters. */
  readonly xray: XrayCounters = { datagrams: 0, accepted: 0, rejected: 0, denied: 0 };
  /** In-process API counters. */
  readonly direct: Record<OtlpSignal, number> = { traces: 0, metrics: 0, logs: 0 };

  constructor(readonly startMs: number) {}

  /** A copy of the counters. */
  snapshot(): IngestCountersSnapshot {
    return structuredClone({ otlp: this.otlp, xray: this.xray, direct: this.direct });
  }

  /**
   * The counters as cumulative monotonic sums of service `slipway`:
   * `slipway.otlp.requests|accepted|rejected|errors|denied` (dimension `signal`) and
   * `slipway.xray.datagrams|accepted|rejected|denied`, and with the write queue's counters
   * `slipway.ingest.written|dropped` (items committed, items lost to failed writes). They are
   * slipway's own: `Internal`.
   */
  toMetricPoints(nowMs: number, queue?: IngestQueueStats): MetricPoint[] {
    const point = (name: string, value: number, attributes: Record<string, string>): MetricPoint => ({
      name,
      unit: '1',
      description: '',
      kind: 'Sum',
      temporality: 'Cumulative',
      monotonic: true,
      service: 'slipway',
      resource: { 'service.name': 'slipway' },
      origin: 'Internal',
      attributes,
      startTimeMs: this.startMs,
      timeMs: nowMs,
      value,
    });
    const out: MetricPoint[] = [];
    for (const [signal, c] of Object.entries(this.otlp)) {
      for (const [k, v] of Object.entries(c)) out.push(point(`slipway.otlp.${k}`, v, { signal }));
    }
    for (const [k, v] of Object.entries(this.xray)) out.push(point(`slipway.xray.${k}`, v, {}));
    if (queue !== undefined) {
      out.push(point('slipway.ingest.written', queue.itemsWritten, {}));
      out.push(point('slipway.ingest.dropped', queue.itemsDropped, {}));
    }
    return out;
  }
}
