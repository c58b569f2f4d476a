import { gunzipSync } from 'node:zlib';
import { InputError } from '../../shared/index.js';

/** How an OTLP/HTTP body is encoded. */
export type OtlpEncoding = 'protobuf' | 'json';

/**
 * The encoding named by a `Content-Type` header: `application/x-protobuf` or
 * `application/json` (parameters such as `charset` are ignored, case-insensitive).
 * @throws InputError `SLW_ERR_OTLP_UNSUPPORTED_MEDIA` (415) for anything else.
 */
export function otlpEncodingOf(contentType: string | undefined): OtlpEncoding {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'application/x-protobuf') return 'protobuf';
  if (mediaType === 'application/json') return 'json';
  throw new InputError('SLW_ERR_OTLP_UNSUPPORTED_MEDIA', `Content-Type "${contentType ?? ''}" is not supported: use application/x-protobuf or application/json`);
}

/**
 * The body as sent before `Content-Encoding` was applied, at most `maxBytes` long.
 * Inflation stops as soon as the output would pass `maxBytes`, so a gzip bomb
 * costs at most that much memory.
 * @throws InputError `SLW_ERR_OTLP_TOO_LARGE` (413), `SLW_ERR_OTLP_UNSUPPORTED_ENCODING` (415),
 *   `SLW_ERR_OTLP_MALFORMED` (400, not valid gzip).
 */
export function decodeContent(body: Buffer, contentEncoding: string | undefined, maxBytes: number): Buffer {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') {
    if (body.length > maxBytes) throw tooLarge(maxBytes);
    return body;
  }
  if (encoding !== 'gzip') {
    throw new InputError('SLW_ERR_OTLP_UNSUPPORTED_ENCODING', `Content-Encoding "${contentEncoding ?? ''}" is not supported: use gzip or none`);
  }
  try {
    return gunzipSync(body, { maxOutputLength: maxBytes });
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(maxBytes, err);
    throw new InputError('SLW_ERR_OTLP_MALFORMED', 'The body is not valid gzip', { cause: err });
  }
}

function tooLarge(maxBytes: number, cause?: unknown): InputError {
  return new InputError('SLW_ERR_OTLP_TOO_LARGE', `The decompressed body is larger than ${maxBytes} bytes`, cause === undefined ? {} : { cause });
}
