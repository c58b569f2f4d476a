import { compileIngestLimits, timeWindowOf, type IngestLimits, type Span } from '../model/index.js';
import { InputError, SlipwayError } from '../../shared/index.js';
import { XRAY_INGEST_KEY_FIELD } from '../ingest-auth/ingest-keys.js';
import { segmentToSpans } from './segment-to-spans.js';

/** Largest datagram the X-Ray daemon protocol allows: 64 KB. */
export const MAX_XRAY_DATAGRAM_BYTES = 64 * 1024;

/**
 * Decodes one X-Ray daemon UDP datagram: the header line
 * `{"format": "json", "version": 1}`, a newline, then a segment document or a
 * subsegment document. Returns the spans of the segment and its subsegments.
 * Only the time window of `limits` applies (`maxDecompressedBytes` does not).
 * @throws InputError with `SLW_ERR_XRAY_TOO_LARGE`, `SLW_ERR_XRAY_NO_HEADER`,
 *   `SLW_ERR_XRAY_BAD_HEADER`, `SLW_ERR_XRAY_MALFORMED`, `SLW_ERR_XRAY_INVALID_ID`
 *   or `SLW_ERR_XRAY_TIMESTAMP_OUT_OF_RANGE`; never anything else.
 * @example decodeXrayDatagram(Buffer.from('{"format":"json","version":1}\n{"trace_id":"1-5759e988-bd862e3fe1be46a994272793",...}'))
 */
export function decodeXrayDatagram(buf: Buffer, limits?: IngestLimits): Span[] {
  const { newline } = splitHeader(buf);
  const document = parseObject(buf.subarray(newline + 1).toString('utf8'));
  try {
    return segmentToSpans(document, timeWindowOf(compileIngestLimits(limits)));
  } catch (err) {
    if (err instanceof SlipwayError) throw err;
    throw new InputError('SLW_ERR_XRAY_MALFORMED', `The segment document could not be read: ${(err as Error).message}`, { cause: err });
  }
}

/** What the header line of a datagram says beyond the protocol. */
export interface XrayHeader {
  /** The `slipway_ingest_key` member, when it is a string. */
  readonly ingestKey?: string;
}

/**
 * Reads only the header line of a datagram (the segment document is not parsed), so the
 * receiver can check the ingest key first: `{"format": "json", "version": 1,
 * "slipway_ingest_key": "<key>"}`. The X-Ray daemon reads `format` and `version` only, so
 * the same header line works with it.
 * @throws InputError `SLW_ERR_XRAY_TOO_LARGE`, `SLW_ERR_XRAY_NO_HEADER` or `SLW_ERR_XRAY_BAD_HEADER`.
 */
export function readXrayHeader(buf: Buffer): XrayHeader {
  const key = splitHeader(buf).header[XRAY_INGEST_KEY_FIELD];
  return typeof key === 'string' ? { ingestKey: key } : {};
}

function splitHeader(buf: Buffer): { header: Readonly<Record<string, unknown>>; newline: number } {
  if (buf.length > MAX_XRAY_DATAGRAM_BYTES) {
    throw new InputError('SLW_ERR_XRAY_TOO_LARGE', `The datagram is ${buf.length} bytes; at most ${MAX_XRAY_DATAGRAM_BYTES} are allowed`);
  }
  const newline = buf.indexOf(0x0a);
  if (newline < 0) throw new InputError('SLW_ERR_XRAY_NO_HEADER');
  return { header: checkHeader(buf.subarray(0, newline).toString('utf8')), newline };
}

function checkHeader(line: string): Readonly<Record<string, unknown>> {
  let header: unknown;
  try {
    header = JSON.parse(line);
  } catch (err) {
    throw new InputError('SLW_ERR_XRAY_BAD_HEADER', undefined, { cause: err });
  }
  const h = header as { format?: unknown; version?: unknown } | null;
  if (typeof h !== 'object' || h === null || h.format !== 'json' || h.version !== 1) {
    // The line may carry a key: name what is wrong, never echo the line.
    throw new InputError('SLW_ERR_XRAY_BAD_HEADER', `The header line is not {"format": "json", "version": 1} (format ${JSON.stringify(h?.format ?? null)?.slice(0, 20)}, version ${JSON.stringify(h?.version ?? null)?.slice(0, 20)})`);
  }
  return h as Readonly<Record<string, unknown>>;
}

function parseObject(text: string): Readonly<Record<string, unknown>> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InputError('SLW_ERR_XRAY_MALFORMED', `The segment document is not JSON: ${(err as Error).message}`, { cause: err });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError('SLW_ERR_XRAY_MALFORMED', 'The segment document is not a JSON object');
  }
  return value as Readonly<Record<string, unknown>>;
}
