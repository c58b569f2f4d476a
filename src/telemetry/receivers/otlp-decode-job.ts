import { SlipwayError } from '../../shared/index.js';
import { bindItems, bindingMessage, logMismatch, pointMismatch, spanMismatch, type ServiceBinding } from '../ingest-auth/index.js';
import type { IngestLimits, MetricPoint } from '../model/index.js';
import { decodeOtlpLogs, decodeOtlpMetrics, decodeOtlpTraces, type OtlpSignal } from '../otlp/index.js';
import { logEntryOf } from '../store/log-entry.js';
import { logRowOf, type LogRow } from '../store/log-row.js';
import { spanRowsOf, type SpanRow } from '../store/span-row.js';

/**
 * One OTLP request to decode, as plain data, so that it can cross to a worker thread: the
 * body and its headers, the key's service binding, the clock's time when the body was read
 * (the time window is computed from it) and the limits without a clock.
 */
export interface OtlpDecodeJob {
  /** The signal of the path. */
  readonly signal: OtlpSignal;
  /** The body as received (maybe gzip). */
  readonly body: Uint8Array;
  /** `Content-Type` of the request. */
  readonly contentType: string;
  /** `Content-Encoding` of the request. */
  readonly contentEncoding?: string;
  /** The service key's binding; absent for keys that may write any service. */
  readonly binding?: ServiceBinding;
  /** "Now" of the time window, ms since the Unix epoch. */
  readonly nowMs: number;
  /** Limits of decoding (the clock is replaced by `nowMs`). */
  readonly limits: Omit<IngestLimits, 'clock'>;
}

/** What a decoded request accepted and rejected, for the counters and the partial-success answer. */
interface Outcome {
  /** Items accepted. */
  readonly accepted: number;
  /** Items rejected (decoding and binding together). */
  readonly rejected: number;
  /** The partial-success message. */
  readonly message?: string;
}

/** The result of an {@link OtlpDecodeJob}: rows for the writer, or why the request is refused as a whole. */
export type OtlpDecodeOutput =
  | (Outcome & { readonly ok: true; readonly signal: 'traces'; readonly rows: SpanRow[] })
  | (Outcome & { readonly ok: true; readonly signal: 'metrics'; readonly points: MetricPoint[] })
  | (Outcome & { readonly ok: true; readonly signal: 'logs'; readonly rows: LogRow[] })
  | {
      readonly ok: false;
      /** HTTP status of the answer. */
      readonly status: number;
      /** Message of the `google.rpc.Status` answer, the slipway code included. */
      readonly message: string;
      /** True when the failure is slipway's (logged; the answer says only "internal error"). */
      readonly internal: boolean;
    };

/**
 * The decoded items a service key may write, with the rejected count and the
 * partial-success message of decoding and binding together; everything without a binding.
 */
function bound<T>(
  items: T[],
  decoded: { readonly rejected: number; readonly errorMessage?: string },
  itemsName: string,
  binding: ServiceBinding | undefined,
  mismatch: (item: T, b: ServiceBinding) => string | undefined,
): { items: T[]; rejected: number; message?: string } {
  const plain = { items, rejected: decoded.rejected, ...(decoded.errorMessage !== undefined ? { message: decoded.errorMessage } : {}) };
  if (binding === undefined) return plain;
  const b = bindItems(items, binding, mismatch);
  if (b.rejected === 0) return plain;
  const own = bindingMessage(b.rejected, items.length + decoded.rejected, itemsName, b.problem ?? '', binding, 'SLW_ERR_OTLP_SERVICE_MISMATCH');
  return { items: b.accepted, rejected: decoded.rejected + b.rejected, message: decoded.errorMessage === undefined ? own : `${decoded.errorMessage}; ${own}` };
}

/**
 * Decodes one request to the rows the store writes: decompress, parse, map, keep what the
 * key may write, and turn spans and log records into rows (their JSON included). The same
 * function runs inline and in the decode workers. It never throws: a request that cannot be
 * decoded comes back as `ok: false` with the status and message of its answer.
 */
export function runOtlpDecodeJob(job: OtlpDecodeJob): OtlpDecodeOutput {
  const body = Buffer.from(job.body.buffer, job.body.byteOffset, job.body.byteLength);
  const limits: IngestLimits = { ...job.limits, clock: { now: () => job.nowMs } };
  const { binding, contentType, contentEncoding: encoding } = job;
  try {
    if (job.signal === 'traces') {
      const r = decodeOtlpTraces(body, contentType, encoding, limits);
      const b = bound(r.spans, r, 'spans', binding, spanMismatch);
      return { ok: true, signal: 'traces', rows: spanRowsOf(b.items), accepted: b.items.length, ...counts(b) };
    }
    if (job.signal === 'metrics') {
      const r = decodeOtlpMetrics(body, contentType, encoding, limits);
      const b = bound(r.points, r, 'data points', binding, pointMismatch);
      return { ok: true, signal: 'metrics', points: b.items, accepted: b.items.length, ...counts(b) };
    }
    const r = decodeOtlpLogs(body, contentType, encoding, limits);
    const b = bound(r.records, r, 'log records', binding, logMismatch);
    return { ok: true, signal: 'logs', rows: b.items.map((record) => logRowOf(logEntryOf(record))), accepted: b.items.length, ...counts(b) };
  } catch (err) {
    if (err instanceof SlipwayError) return { ok: false, status: err.status, message: `${err.message} (${err.code})`, internal: false };
    return { ok: false, status: 500, message: err instanceof Error ? (err.stack ?? err.message) : String(err), internal: true };
  }
}

function counts(b: { rejected: number; message?: string }): { rejected: number; message?: string } {
  return { rejected: b.rejected, ...(b.message !== undefined ? { message: b.message } : {}) };
}
