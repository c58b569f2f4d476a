import { ManualClock, openDatabase } from '../../../core/index.js';
import type { Attributes, Span, SpanEvent, SpanKind, SpanStatusCode } from '../../model/index.js';
import { telemetryMigrations } from '../migrations.js';
import { wrapDatabase, type TelemetryStore } from '../telemetry-store.js';

/** A fresh in-memory telemetry store. */
export function memoryStore(clock = new ManualClock()): TelemetryStore {
  return wrapDatabase(openDatabase(':memory:', { migrations: telemetryMigrations, synchronous: 'NORMAL' }), clock);
}

/** What a scripted span needs; the rest gets defaults. */
export interface SpanSpec {
  readonly trace: string;
  readonly id: string;
  readonly parent?: string;
  readonly service: string;
  readonly name: string;
  readonly kind?: SpanKind;
  readonly startMs: number;
  readonly endMs: number;
  readonly status?: SpanStatusCode;
  readonly attributes?: Attributes;
  readonly events?: SpanEvent[];
}

/** A span from a spec: ids are padded to 32/16 hex characters. */
export function span(s: SpanSpec): Span {
  return {
    traceId: s.trace.padStart(32, '0'),
    spanId: s.id.padStart(16, '0'),
    ...(s.parent !== undefined ? { parentSpanId: s.parent.padStart(16, '0') } : {}),
    name: s.name,
    kind: s.kind ?? 'Internal',
    startTimeMs: s.startMs,
    endTimeMs: s.endMs,
    durationMs: s.endMs - s.startMs,
    statusCode: s.status ?? 'Unset',
    service: s.service,
    resource: { 'service.name': s.service },
    attributes: s.attributes ?? {},
    events: s.events ?? [],
  };
}
