import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../core/index.js';
import { errorSpec } from '../../shared/index.js';
import { authorizeIngest, describeDenial, INGEST_KEY_HEADER, type IngestPolicy } from '../ingest-auth/index.js';
import { compileIngestLimits, type IngestLimits } from '../model/index.js';
import { encodeOtlpResponse, type OtlpSignal } from '../otlp/index.js';
import type { IngestCounters } from './ingest-counters.js';
import type { IngestSink } from './ingest-sink.js';
import { runOtlpDecodeJob, type OtlpDecodeJob, type OtlpDecodeOutput } from './otlp-decode-job.js';
import { OtlpDecodePool, type OtlpDecodePoolOptions, type OtlpDecodePoolStats } from './otlp-decode-pool.js';
import { decideCors, preflightHeaders } from './browser-cors.js';
import { encodeRpcStatus } from './rpc-status.js';

/** Options of {@link startOtlpReceiver}. */
export interface OtlpReceiverOptions {
  /** Address to listen on. @default '127.0.0.1' */
  readonly host?: string;
  /** Port; 0 picks a free one. @default 4318 */
  readonly port?: number;
  /** Largest request body, as sent and after gzip inflation, in bytes. @default 10_485_760 (10 MiB) */
  readonly bodyLimitBytes?: number;
  /** Time window and clock of decoding (`maxDecompressedBytes` is set from `bodyLimitBytes`). */
  readonly limits?: Omit<IngestLimits, 'maxDecompressedBytes'>;
  /** Who may write what; checked before the body is read. */
  readonly policy: IngestPolicy;
  /** Where decoded items go. */
  readonly sink: IngestSink;
  /** Counters to update. */
  readonly counters: IngestCounters;
  /** Where unexpected failures are logged. */
  readonly logger: Logger;
  /**
   * The decode workers: their number (`size`, 0 decodes every request on the main thread) and
   * the bound of their queue, past which requests are answered 503 with `Retry-After`.
   * @default { size: os.availableParallelism() - 1 (at least 1), maxQueuedJobs: 64, maxQueuedBytes: 64 MiB }
   */
  readonly decode?: Omit<OtlpDecodePoolOptions, 'logger'>;
  /**
   * Bodies smaller than this are decoded on the main thread: a handful of items, for which
   * the trip to a worker adds latency and total CPU for little main-thread time saved (see
   * `docs/telemetry.md`, "Where the time goes now").
   * @default 1024
   */
  readonly inlineDecodeBelowBytes?: number;
  /**
   * The origins of pages that may send (the CORS allow-list), read at each request so an applied
   * model changes it. A request with any other `Origin` is refused with 403. @default none
   */
  readonly corsOrigins?: () => readonly string[];
}

/** A listening receiver. */
export interface RunningReceiver {
  /** The bound port. */
  readonly port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** A listening OTLP receiver. */
export interface RunningOtlpReceiver extends RunningReceiver {
  /** The decode workers and their queue; `undefined` when every request is decoded on the main thread. */
  decodeStats(): OtlpDecodePoolStats | undefined;
}

const PATHS: Readonly<Record<string, OtlpSignal>> = { '/v1/traces': 'traces', '/v1/metrics': 'metrics', '/v1/logs': 'logs' };

function singleHeader(value: string | string[] | undefined): string | undefined {
  // Two key headers are one too many: the joined text never verifies.
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Default body limit: 10 MiB. */
export const DEFAULT_OTLP_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

/** Seconds a throttled sender is asked to wait (`Retry-After`): about what a full decode queue takes to drain. */
export const OTLP_RETRY_AFTER_S = 1;

class BodyTooLarge extends Error {}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > limit) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

/**
 * Starts the OTLP/HTTP receiver (`POST /v1/traces`, `/v1/metrics`, `/v1/logs`; protobuf
 * or JSON; gzip). The `x-slipway-ingest-key` header is checked before the body is read:
 * without a valid key (unless the policy allows anonymous senders) the answer is 401, for a
 * browser key on `/v1/metrics` 403. A valid request is answered 200 with the OTLP response
 * (partial success when items were rejected, a service key's items of other services
 * included) after its items are queued. A page's request (with `Origin`) is answered only when
 * its origin is in `corsOrigins` (a preflight `OPTIONS` with 204 and the CORS headers), and
 * refused with 403 otherwise. A request refused as a whole gets 400, 401, 403,
 * 404, 405, 413 or 415 with a `google.rpc.Status` body in the request's encoding; when the
 * decode queue is full, 503 (`UNAVAILABLE`) with `Retry-After`, which OTLP senders retry.
 * Bodies are decoded in a pool of worker threads (small ones inline). Nothing a client sends
 * can throw out of the handler.
 */
export async function startOtlpReceiver(options: OtlpReceiverOptions): Promise<RunningOtlpReceiver> {
  const limit = options.bodyLimitBytes ?? DEFAULT_OTLP_BODY_LIMIT_BYTES;
  const compiled = compileIngestLimits({ ...options.limits, maxDecompressedBytes: limit });
  const limits: OtlpDecodeJob['limits'] = { maxDecompressedBytes: limit, maxAgeMs: compiled.maxAgeMs, maxFutureSkewMs: compiled.maxFutureSkewMs };
  const { counters, sink, logger, policy } = options;
  const inlineBelow = options.inlineDecodeBelowBytes ?? 1024;
  const pool = (options.decode?.size ?? 1) > 0 ? new OtlpDecodePool({ ...options.decode, logger }) : undefined;

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const contentType = req.headers['content-type'] ?? '';
    const protobuf = contentType.toLowerCase().startsWith('application/x-protobuf');
    const fail = (status: number, message: string, close = false): void => {
      const { body, contentType: type } = encodeRpcStatus(status, message, protobuf);
      res.writeHead(status, { 'content-type': type, 'content-length': body.length, ...(close ? { connection: 'close' } : {}) });
      res.end(body);
    };
    const signal = PATHS[(req.url ?? '').split('?')[0] ?? ''];
    if (signal === undefined) return fail(404, `no OTLP endpoint ${req.url ?? ''}: use /v1/traces, /v1/metrics or /v1/logs`);
    const c = counters.otlp[signal];
    c.requests++;
    const cors = decideCors(req.headers.origin, options.corsOrigins?.() ?? []);
    if (cors.kind === 'Refused') {
      c.errors++;
      c.denied++;
      req.resume();
      return fail(403, `the origin ${JSON.stringify(cors.origin)} may not send telemetry: add it to telemetry.rum.origins in the app model (SLW_ERR_OTLP_ORIGIN_NOT_ALLOWED)`, true);
    }
    if (cors.kind === 'Allowed') {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, preflightHeaders(cors));
        return void res.end();
      }
      for (const [name, value] of Object.entries(cors.headers)) res.setHeader(name, value);
    }
    if (req.method !== 'POST') {
      c.errors++;
      res.setHeader('allow', 'POST');
      return fail(405, `${req.method ?? ''} is not allowed: use POST`);
    }
    const decision = authorizeIngest(policy.keys.identify(singleHeader(req.headers[INGEST_KEY_HEADER])), signal, policy.allowUnauthenticated);
    if (!decision.allowed) {
      c.errors++;
      c.denied++;
      const denial = describeDenial(decision.reason, 'otlp');
      if (decision.status === 401) res.setHeader('www-authenticate', `SlipwayIngestKey header="${INGEST_KEY_HEADER}"`);
      // Refused unread: the body is discarded, never decoded, and the connection closed after the answer.
      req.resume();
      return fail(decision.status, `${denial.message} (${denial.code})`, true);
    }
    const { binding } = decision;
    const throttle = (): void => {
      c.throttled++;
      res.setHeader('retry-after', String(OTLP_RETRY_AFTER_S));
      fail(503, `${errorSpec('SLW_ERR_OTLP_OVERLOADED').message} (SLW_ERR_OTLP_OVERLOADED)`);
    };
    // Refused before reading: a full queue is not made fuller by reading bodies it cannot take.
    // The body is discarded as it arrives and the connection stays open: the sender is
    // welcome back after Retry-After, and a reconnect would cost both sides more.
    if (pool?.full === true) {
      req.resume();
      return throttle();
    }
    let body: Buffer;
    try {
      body = await readBody(req, limit);
    } catch (err) {
      c.errors++;
      if (err instanceof BodyTooLarge) return fail(413, `The body is larger than ${limit} bytes (SLW_ERR_OTLP_TOO_LARGE)`, true);
      return fail(400, `The body could not be read: ${(err as Error).message}`, true);
    }
    const encoding = req.headers['content-encoding'];
    const job: OtlpDecodeJob = { signal, body, contentType, ...(encoding !== undefined ? { contentEncoding: encoding } : {}), ...(binding !== undefined ? { binding } : {}), nowMs: compiled.clock.now(), limits };
    let output: OtlpDecodeOutput;
    if (pool === undefined || body.length < inlineBelow) output = runOtlpDecodeJob(job);
    else {
      const decoding = pool.tryRun(job);
      if (decoding === undefined) return throttle();
      output = await decoding;
    }
    if (!output.ok) {
      c.errors++;
      if (!output.internal) return fail(output.status, output.message);
      logger.error('OTLP request failed', { signal, err: output.message });
      return fail(500, 'internal error');
    }
    if (output.accepted > 0) {
      if (output.signal === 'traces') sink.spanRows(output.rows);
      else if (output.signal === 'metrics') sink.points(output.points, decision.origin);
      else sink.logRows(output.rows);
    }
    const { accepted, rejected, message } = output;
    c.accepted += accepted;
    c.rejected += rejected;
    const response = encodeOtlpResponse(signal, rejected, message, contentType);
    res.writeHead(200, { 'content-type': response.contentType, 'content-length': response.body.length });
    res.end(response.body);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      logger.error('OTLP receiver failed', { err });
      if (!res.headersSent) {
        res.writeHead(500);
        res.end();
      } else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4318, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    decodeStats: () => pool?.stats(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => pool?.close()),
  };
}
