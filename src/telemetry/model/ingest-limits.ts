import type { Clock } from '../../core/index.js';

/** Limits applied while decoding telemetry; every field is optional. */
export interface IngestLimits {
  /**
   * Largest request body after decompression, in bytes. Larger bodies (and gzip
   * bombs) are refused with a 413 code without inflating them past this size.
   * @default 10_485_760 (10 MiB)
   */
  readonly maxDecompressedBytes?: number;
  /**
   * How far in the future an item's time may be, against the clock, in ms.
   * @default 86_400_000 (1 day)
   */
  readonly maxFutureSkewMs?: number;
  /**
   * How far in the past an item's time may be, against the clock, in ms.
   * @default 2_592_000_000 (30 days)
   */
  readonly maxAgeMs?: number;
  /**
   * Where "now" comes from for the time window.
   * @default the system clock
   */
  readonly clock?: Clock;
}

/** {@link IngestLimits} with defaults applied; frozen. */
export interface CompiledIngestLimits {
  /** Largest decompressed body, bytes. */
  readonly maxDecompressedBytes: number;
  /** Allowed future skew, ms. */
  readonly maxFutureSkewMs: number;
  /** Allowed age, ms. */
  readonly maxAgeMs: number;
  /** The clock. */
  readonly clock: Clock;
}

/** Default largest decompressed body: 10 MiB. */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 10 * 1024 * 1024;
/** Default allowed future skew: 1 day. */
export const DEFAULT_MAX_FUTURE_SKEW_MS = 24 * 60 * 60 * 1000;
/** Default allowed age: 30 days. */
export const DEFAULT_MAX_AGE_MS = 30 * DEFAULT_MAX_FUTURE_SKEW_MS;

const wallClock: Clock = Object.freeze({ now: () => Date.now() });

/** Applies the defaults of {@link IngestLimits}. */
export function compileIngestLimits(limits: IngestLimits = {}): CompiledIngestLimits {
  return Object.freeze({
    maxDecompressedBytes: limits.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES,
    maxFutureSkewMs: limits.maxFutureSkewMs ?? DEFAULT_MAX_FUTURE_SKEW_MS,
    maxAgeMs: limits.maxAgeMs ?? DEFAULT_MAX_AGE_MS,
    clock: limits.clock ?? wallClock,
  });
}

/** A time window `[fromMs, toMs]` computed once per request from compiled limits. */
export interface TimeWindow {
  /** Earliest accepted time, ms since the Unix epoch. */
  readonly fromMs: number;
  /** Latest accepted time, ms since the Unix epoch. */
  readonly toMs: number;
}

/** The accepted time window at the clock's current time. */
export function timeWindowOf(limits: CompiledIngestLimits): TimeWindow {
  const nowMs = limits.clock.now();
  return { fromMs: nowMs - limits.maxAgeMs, toMs: nowMs + limits.maxFutureSkewMs };
}

/** True when `timeMs` is a finite number inside `window`. */
export function isInWindow(timeMs: number, window: TimeWindow): boolean {
  return Number.isFinite(timeMs) && timeMs >= window.fromMs && timeMs <= window.toMs;
}
