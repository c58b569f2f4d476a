import { randomFillSync } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Random bytes drawn a page at a time: a request id and a trace context cost no system call each. */
const pool = Buffer.alloc(4096);
let poolAt = pool.length;
function randomHex(bytes: number): string {
  if (poolAt + bytes > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const hex = pool.toString('hex', poolAt, poolAt + bytes);
  poolAt += bytes;
  return hex;
}

/** A W3C trace context for a request that came without one: a new trace, sampled, parented by the router. */
export function newTraceparent(): string {
  const hex = randomHex(24);
  return `00-${hex.slice(0, 32)}-${hex.slice(32)}-01`;
}

/** A request id as the router gives one: 32 hex digits. */
export function newRequestId(): string {
  return randomHex(16);
}

/** Both ids for a request that came with neither, from one hex conversion. */
function newIds(out: string[]): void {
  const hex = randomHex(40);
  out.push('x-request-id', hex.slice(0, 32), 'traceparent', `00-${hex.slice(32, 64)}-${hex.slice(64)}-01`);
}

// Hop-by-hop headers (RFC 9110 §7.6.1) and the ones the router sets itself, by length
// first so most header names are rejected without lower-casing them.
const DROPPED_REQUEST = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
]);
const DROPPED_RESPONSE = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
const lengthsOf = (names: Set<string>): Uint8Array => {
  const lengths = new Uint8Array(64);
  for (const n of names) lengths[n.length] = 1;
  return lengths;
};
const REQUEST_LENGTHS = lengthsOf(new Set([...DROPPED_REQUEST, 'host']));
const RESPONSE_LENGTHS = lengthsOf(DROPPED_RESPONSE);

function connectionTokens(value: string): Set<string> | undefined {
  let extra: Set<string> | undefined;
  for (const token of value.split(',')) {
    const t = token.trim().toLowerCase();
    if (t === '' || t === 'close' || t === 'keep-alive') continue;
    (extra ??= new Set()).add(t);
  }
  return extra;
}

/**
 * The headers sent upstream, as a flat `[name, value, …]` list: the client's
 * headers without hop-by-hop ones (including those named by `Connection`), with
 * `x-forwarded-for` extended and `x-forwarded-proto`/`-host` set. Host is kept, as ALB does.
 * A request without `x-request-id` gets one, and one without a W3C `traceparent` starts a trace
 * (as ALB adds `X-Amzn-Trace-Id`), so every request's logs and spans share ids from the edge on.
 */
export function forwardRequestHeaders(req: IncomingMessage, extra?: readonly string[]): string[] {
  const raw = req.rawHeaders;
  const out: string[] = [];
  let priorFor: string | undefined;
  let host = '';
  let listed: Set<string> | undefined;
  let traced = false;
  let identified = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    const len = name.length;
    if (len === 11 || len === 12) {
      const lower = name.toLowerCase();
      if (lower === 'traceparent') traced = true;
      else if (lower === 'x-request-id') identified = true;
    }
    if (len < 64 && REQUEST_LENGTHS[len] === 1) {
      const lower = name.toLowerCase();
      if (DROPPED_REQUEST.has(lower)) {
        if (lower === 'x-forwarded-for') priorFor = priorFor === undefined ? value : `${priorFor}, ${value}`;
        else if (lower === 'connection') listed = connectionTokens(value);
        continue;
      }
      if (lower === 'host') host = value;
    }
    out.push(name, value);
  }
  if (listed !== undefined) {
    const kept: string[] = [];
    for (let i = 0; i < out.length; i += 2) if (!listed.has(out[i]!.toLowerCase())) kept.push(out[i]!, out[i + 1]!);
    out.length = 0;
    out.push(...kept);
  }
  const client = req.socket.remoteAddress ?? '';
  out.push('x-forwarded-for', priorFor === undefined ? client : `${priorFor}, ${client}`, 'x-forwarded-proto', 'http', 'x-forwarded-host', host);
  if (!identified && !traced) newIds(out);
  else if (!identified) out.push('x-request-id', newRequestId());
  else if (!traced) out.push('traceparent', newTraceparent());
  if (extra !== undefined) out.push(...extra);
  return out;
}

/** A target's raw response headers as a flat list for `writeHead`, without hop-by-hop ones. */
export function forwardResponseHeaders(raw: readonly string[], setCookie: string | undefined): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const len = name.length;
    if (len < 64 && RESPONSE_LENGTHS[len] === 1 && DROPPED_RESPONSE.has(name.toLowerCase())) continue;
    out.push(name, raw[i + 1]!);
  }
  if (setCookie !== undefined) out.push('set-cookie', setCookie);
  return out;
}
