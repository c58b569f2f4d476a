import { otlpEncodingOf } from './body.js';
import { otlpServiceTypes, type OtlpSignal } from './proto-root.js';

/** An encoded `Export<Signal>ServiceResponse`, ready to send with HTTP 200. */
export interface OtlpResponse {
  /** The response body. */
  readonly body: Buffer;
  /** The `Content-Type` to send: the request's encoding, as the spec requires. */
  readonly contentType: 'application/x-protobuf' | 'application/json';
}

const REJECTED_FIELD: Readonly<Record<OtlpSignal, string>> = {
  traces: 'rejectedSpans',
  metrics: 'rejectedDataPoints',
  logs: 'rejectedLogRecords',
};

/**
 * Encodes the success response of an OTLP/HTTP export. `partial_success` is set
 * only when something was rejected or there is a message; otherwise it is left
 * unset, as a full success requires.
 * @param signal Which service answered.
 * @param rejected Number of rejected items (`rejected_spans`, `rejected_data_points` or `rejected_log_records`).
 * @param message The `error_message`; `undefined` or empty for none.
 * @param contentType The request's `Content-Type`; the response uses the same encoding.
 * @throws InputError `SLW_ERR_OTLP_UNSUPPORTED_MEDIA` when `contentType` is neither protobuf nor JSON.
 */
export function encodeOtlpResponse(signal: OtlpSignal, rejected: number, message: string | undefined, contentType: string): OtlpResponse {
  const encoding = otlpEncodingOf(contentType);
  const hasPartial = rejected > 0 || (message !== undefined && message !== '');
  const partialSuccess = {
    ...(rejected > 0 ? { [REJECTED_FIELD[signal]]: String(rejected) } : {}),
    ...(message ? { errorMessage: message } : {}),
  };
  if (encoding === 'json') {
    // int64 is a decimal string in (OTLP) proto3 JSON.
    return { body: Buffer.from(JSON.stringify(hasPartial ? { partialSuccess } : {})), contentType: 'application/json' };
  }
  const { response } = otlpServiceTypes(signal);
  const bytes = response.encode(response.fromObject(hasPartial ? { partialSuccess } : {})).finish();
  return { body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), contentType: 'application/x-protobuf' };
}
