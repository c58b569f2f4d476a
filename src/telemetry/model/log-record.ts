import type { Attributes, ScopeInfo } from './attributes.js';

/** One log record as slipway receives it over OTLP. */
export interface LogRecordIn {
  /** When the event happened, ms since the Unix epoch; the observed time when the sender gave none. */
  readonly timeMs: number;
  /** When the event was observed, ms since the Unix epoch; the receive time when the sender gave none. */
  readonly observedTimeMs: number;
  /** OTLP severity number, 0 (unspecified) to 24 (FATAL4). */
  readonly severityNumber: number;
  /** Severity as the source wrote it, e.g. `INFO`; empty when none. */
  readonly severityText: string;
  /** The body: a string body as is, any other body JSON-stringified, empty when absent. */
  readonly body: string;
  /** Log record attributes. */
  readonly attributes: Attributes;
  /** Resource attributes. */
  readonly resource: Attributes;
  /** The emitting service (resource `service.name`). */
  readonly service: string;
  /** Trace id (32 lowercase hex) when the record carries a valid one. */
  readonly traceId?: string;
  /** Span id (16 lowercase hex) when the record carries a valid one. */
  readonly spanId?: string;
  /** The event name, when the record is an event. */
  readonly eventName?: string;
  /** Instrumentation scope; absent when unknown. */
  readonly scope?: ScopeInfo;
}
