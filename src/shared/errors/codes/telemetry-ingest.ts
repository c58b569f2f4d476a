import type { ErrorCodeSpec } from '../spec.js';

/**
 * Codes of telemetry ingest: OTLP/HTTP request authentication and decoding (`SLW_ERR_OTLP_*`)
 * and X-Ray daemon datagram authentication and decoding (`SLW_ERR_XRAY_*`).
 */
export const telemetryIngestCodes = {
  SLW_ERR_OTLP_UNSUPPORTED_MEDIA: { status: 415, message: 'OTLP/HTTP accepts application/x-protobuf or application/json' },
  SLW_ERR_OTLP_UNSUPPORTED_ENCODING: { status: 415, message: 'OTLP/HTTP accepts Content-Encoding gzip or identity' },
  SLW_ERR_OTLP_MALFORMED: { status: 400, message: 'The OTLP payload could not be decoded' },
  SLW_ERR_OTLP_TOO_LARGE: { status: 413, message: 'The OTLP payload is too large' },
  SLW_ERR_OTLP_INVALID_ID: { status: 400, message: 'The OTLP item has an invalid trace or span id' },
  SLW_ERR_OTLP_TIMESTAMP_OUT_OF_RANGE: { status: 400, message: 'The OTLP item has a timestamp outside the accepted window' },
  SLW_ERR_OTLP_UNAUTHENTICATED: { status: 401, message: 'OTLP ingest needs a valid ingest key in the x-slipway-ingest-key header' },
  SLW_ERR_OTLP_FORBIDDEN: { status: 403, message: 'This ingest key may not write this signal (a browser key writes traces and logs only)' },
  SLW_ERR_OTLP_OVERLOADED: { status: 503, message: 'The OTLP receiver is at its decode-queue bound; retry after the Retry-After seconds' },
  SLW_ERR_OTLP_ORIGIN_NOT_ALLOWED: { status: 403, message: "The page's origin is not in the app model's telemetry.rum.origins (the receiver's CORS allow-list)" },
  SLW_ERR_OTLP_SERVICE_MISMATCH: { status: 403, message: 'The OTLP item names another service or environment than the service key it was sent with' },
  SLW_ERR_XRAY_NO_HEADER: { status: 400, message: 'The X-Ray datagram has no header line' },
  SLW_ERR_XRAY_BAD_HEADER: { status: 400, message: 'The X-Ray datagram header is not {"format": "json", "version": 1}' },
  SLW_ERR_XRAY_MALFORMED: { status: 400, message: 'The X-Ray segment document is malformed' },
  SLW_ERR_XRAY_TOO_LARGE: { status: 413, message: 'The X-Ray datagram is larger than 64 KB' },
  SLW_ERR_XRAY_INVALID_ID: { status: 400, message: 'The X-Ray segment has a missing or invalid trace id or id' },
  SLW_ERR_XRAY_TIMESTAMP_OUT_OF_RANGE: { status: 400, message: 'The X-Ray segment has a timestamp outside the accepted window' },
  SLW_ERR_XRAY_UNAUTHENTICATED: { status: 401, message: 'The X-Ray datagram header carries no valid slipway_ingest_key' },
  SLW_ERR_XRAY_SERVICE_MISMATCH: { status: 403, message: 'The X-Ray segment names another service than the service key it was sent with' },
} as const satisfies Record<string, ErrorCodeSpec>;
