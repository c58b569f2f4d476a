import { compileIngestLimits, timeWindowOf, type IngestLimits, type Span } from '../model/index.js';
import { InputError, SlipwayError } from '../../shared/index.js';
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
  if (buf.length > MAX_XRAY_DATAGRAM_BYTES) {
    throw new InputError('SLW_ERR_XRAY_TOO_LARGE', `The datagram is ${buf.length} bytes; at most ${MAX_XRAY_DATAGRAM_BYTES} are allowed`);
  }
  const newline = buf.indexOf(0x0a);
  if (newline < 0) throw new InputError('SLW_ERR_XRAY_NO_HEADER');
  checkHeader(buf.subarray(0, newline).toString('utf8'));
  const document = parseObject(buf.subarray(newline + 1).toString('utf8'));
  try {
    return segmentToSpans(document, timeWindowOf(compileIngestLimits(limits)));
  } catch (err) {
    if (err instanceof SlipwayError) throw err;
    throw new InputError('SLW_ERR_XRAY_MALFORMED', `The segment document could not be read: ${(err as Error).message}`, { cause: err });
  }
}

function checkHeader(line: string): void {
  let header: unknown;
  try {
    header = JSON.parse(line);
  } catch (err) {
    throw new InputError('SLW_ERR_XRAY_BAD_HEADER', undefined, { cause: err });
  }
  const h = header as { format?: unknown; version?: unknown } | null;
  if (typeof h !== 'object' || h === null || h.format !== 'json' || h.version !== 1) {
    throw new InputError('SLW_ERR_XRAY_BAD_HEADER', `The header ${line.slice(0, 100)} is not {"format": "json", "version": 1}`);
  }
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
