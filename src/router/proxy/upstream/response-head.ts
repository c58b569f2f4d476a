import { UpstreamError } from './upstream-error.js';

/** How a response's body is delimited (RFC 9112 §6.3). */
export type BodyFraming = 'none' | 'length' | 'chunked' | 'close';

/** A parsed response head: status line, headers as sent, and what the framing headers say. */
export interface ResponseHead {
  readonly statusCode: number;
  readonly statusText: string;
  /** Header names and values as the target sent them, `[name, value, …]` (latin1, not lower-cased). */
  readonly rawHeaders: string[];
  readonly framing: BodyFraming;
  /** The body's length when `framing` is `length`. */
  readonly contentLength: number;
  /** Whether the connection may carry another request after this response. */
  readonly keepAlive: boolean;
  /** The target's `Keep-Alive: timeout=N` hint in ms; undefined when it gave none. */
  readonly keepAliveTimeoutMs: number | undefined;
}

const protocolError = (what: string): UpstreamError => new UpstreamError('UPSTREAM_PROTOCOL', `invalid response from target: ${what}`);

function hasToken(value: string, token: string): boolean {
  const v = value.toLowerCase();
  if (v === token) return true;
  for (const part of v.split(',')) if (part.trim() === token) return true;
  return false;
}

/**
 * Parses the head of a response (`head` is everything before the blank line, latin1) to a request
 * with method `method`. Throws an `UPSTREAM_PROTOCOL` {@link UpstreamError} for a head a proxy must
 * not forward: a malformed status line or header line, folded headers, differing `Content-Length`
 * values, or both `Content-Length` and `Transfer-Encoding` (a request-smuggling vector, RFC 9112
 * §6.1).
 */
export function parseResponseHead(head: string, isHead: boolean): ResponseHead {
  let lineEnd = head.indexOf('\r\n');
  if (lineEnd < 0) lineEnd = head.length;
  // "HTTP/1.1 200 OK": the version, a space, three digits, then an optional reason.
  if (lineEnd < 12 || !head.startsWith('HTTP/1.') || head.charCodeAt(8) !== 0x20) throw protocolError(`status line ${JSON.stringify(head.slice(0, Math.min(lineEnd, 64)))}`);
  const minor = head.charCodeAt(7) - 0x30;
  const statusCode = Number(head.slice(9, 12));
  if ((minor !== 0 && minor !== 1) || !Number.isInteger(statusCode) || statusCode < 100 || (lineEnd > 12 && head.charCodeAt(12) !== 0x20)) {
    throw protocolError(`status line ${JSON.stringify(head.slice(0, Math.min(lineEnd, 64)))}`);
  }
  const statusText = lineEnd > 13 ? head.slice(13, lineEnd) : '';
  const rawHeaders: string[] = [];
  let contentLength = -1;
  let chunked = false;
  let transferEncoding = false;
  let connectionClose = minor === 0;
  let keepAliveTimeoutMs: number | undefined;
  let at = lineEnd + 2;
  while (at < head.length) {
    let end = head.indexOf('\r\n', at);
    if (end < 0) end = head.length;
    const first = head.charCodeAt(at);
    if (first === 0x20 || first === 0x09) throw protocolError('folded header line');
    const colon = head.indexOf(':', at);
    if (colon <= at || colon > end) throw protocolError(`header line ${JSON.stringify(head.slice(at, Math.min(end, at + 64)))}`);
    const last = head.charCodeAt(colon - 1);
    if (last === 0x20 || last === 0x09) throw protocolError('whitespace before a header colon');
    const name = head.slice(at, colon);
    const value = head.slice(colon + 1, end).trim();
    rawHeaders.push(name, value);
    const len = name.length;
    // Only the framing headers are looked at; by length first, so most names are never lower-cased.
    if (len === 14 || len === 17 || len === 10) {
      const lower = name.toLowerCase();
      if (lower === 'content-length') {
        if (!/^\d{1,15}$/.test(value)) throw protocolError(`Content-Length ${JSON.stringify(value)}`);
        const n = Number(value);
        if (contentLength >= 0 && contentLength !== n) throw protocolError('differing Content-Length values');
        contentLength = n;
      } else if (lower === 'transfer-encoding') {
        transferEncoding = true;
        const codings = value.toLowerCase().split(',');
        chunked = codings[codings.length - 1]!.trim() === 'chunked';
      } else if (lower === 'connection') {
        if (hasToken(value, 'close')) connectionClose = true;
        else if (minor === 0 && hasToken(value, 'keep-alive')) connectionClose = false;
      } else if (lower === 'keep-alive') {
        const m = /(?:^|[,\s])timeout\s*=\s*(\d+)/i.exec(value);
        if (m !== null) keepAliveTimeoutMs = Number(m[1]) * 1000;
      }
    }
    at = end + 2;
  }
  if (transferEncoding && contentLength >= 0) throw protocolError('both Content-Length and Transfer-Encoding');
  let framing: BodyFraming;
  if (isHead || statusCode < 200 || statusCode === 204 || statusCode === 304) framing = 'none';
  else if (transferEncoding) framing = chunked ? 'chunked' : 'close';
  else if (contentLength >= 0) framing = contentLength === 0 ? 'none' : 'length';
  else framing = 'close';
  return {
    statusCode,
    statusText,
    rawHeaders,
    framing,
    contentLength: Math.max(0, contentLength),
    keepAlive: !connectionClose && framing !== 'close',
    keepAliveTimeoutMs,
  };
}
