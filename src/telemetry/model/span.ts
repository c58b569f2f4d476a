import type { Attributes, ScopeInfo } from './attributes.js';

/** What a span represents, as in OTLP `SpanKind` (`UNSPECIFIED` is read as `Internal`). */
export type SpanKind = 'Internal' | 'Server' | 'Client' | 'Producer' | 'Consumer';

/** The final status of a span, as in OTLP `Status.StatusCode`. */
export type SpanStatusCode = 'Unset' | 'Ok' | 'Error';

/** A time-stamped annotation of a span, e.g. an `exception`. */
export interface SpanEvent {
  /** Event name, e.g. `exception`. */
  readonly name: string;
  /** When it happened, milliseconds since the Unix epoch (fractional). */
  readonly timeMs: number;
  /** Event attributes, e.g. `exception.message`. */
  readonly attributes: Attributes;
}

/** A reference from a span to another span, in the same trace or another. */
export interface SpanLink {
  /** Trace id of the linked span, 32 lowercase hex characters. */
  readonly traceId: string;
  /** Span id of the linked span, 16 lowercase hex characters. */
  readonly spanId: string;
  /** Link attributes. */
  readonly attributes: Attributes;
}

/** One span as slipway stores it, whichever protocol it arrived in (OTLP or X-Ray). */
export interface Span {
  /** Trace id, 32 lowercase hex characters, never all zeros. */
  readonly traceId: string;
  /** Span id, 16 lowercase hex characters, never all zeros. */
  readonly spanId: string;
  /** Parent span id (16 lowercase hex); absent for a root span. */
  readonly parentSpanId?: string;
  /** Operation name. */
  readonly name: string;
  /** Span kind. */
  readonly kind: SpanKind;
  /** Start, milliseconds since the Unix epoch (fractional: sub-millisecond precision is kept). */
  readonly startTimeMs: number;
  /** End, milliseconds since the Unix epoch (fractional); equals `startTimeMs` while `inProgress`. */
  readonly endTimeMs: number;
  /** `endTimeMs - startTimeMs`, computed from the original nanoseconds or seconds. */
  readonly durationMs: number;
  /** Status code. */
  readonly statusCode: SpanStatusCode;
  /** Status message, when one was given. */
  readonly statusMessage?: string;
  /** The emitting service: the resource's `service.name` (OTLP) or the segment name (X-Ray). */
  readonly service: string;
  /** Resource attributes. */
  readonly resource: Attributes;
  /** Span attributes. */
  readonly attributes: Attributes;
  /** Span events, in the order received. */
  readonly events: readonly SpanEvent[];
  /** Links to other spans; absent when there are none. */
  readonly links?: readonly SpanLink[];
  /** Instrumentation scope; absent when unknown. */
  readonly scope?: ScopeInfo;
  /** True for an X-Ray segment sent with `in_progress: true` (no end time yet). */
  readonly inProgress?: boolean;
}
