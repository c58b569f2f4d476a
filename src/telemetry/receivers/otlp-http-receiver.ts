import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../core/index.js';
import { SlipwayError } from '../../shared/index.js';
import type { IngestLimits } from '../model/index.js';
import { decodeOtlpLogs, decodeOtlpMetrics, decodeOtlpTraces, encodeOtlpResponse, type OtlpSignal } from '../otlp/index.js';
import type { IngestCounters } from './ingest-counters.js';
import type { IngestSink } from './ingest-sink.js';
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
  /** Where decoded items go. */
  readonly sink: IngestSink;
  /** Counters to update. */
  readonly counters: IngestCounters;
  /** Where unexpected failures are logged. */
  readonly logger: Logger;
}

/** A listening receiver. */
export interface RunningReceiver {
  /** The bound port. */
  readonly port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

const PATHS: Readonly<Record<string, OtlpSignal>> = { '/v1/traces': 'traces', '/v1/metrics': 'metrics', '/v1/logs': 'logs' };

/** Default body limit: 10 MiB. */
export const DEFAULT_OTLP_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

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
 * or JSON; gzip). A valid request is answered 200 with the OTLP response (partial
 * success when items were rejected) after its items are queued. A request refused as
 * a whole gets 400, 404, 405, 413 or 415 with a `google.rpc.Status` body in the
 * request's encoding. Nothing a client sends can throw out of the handler.
 */
export async function startOtlpReceiver(options: OtlpReceiverOptions): Promise<RunningReceiver> {
  const limit = options.bodyLimitBytes ?? DEFAULT_OTLP_BODY_LIMIT_BYTES;
  const limits: IngestLimits = { ...options.limits, maxDecompressedBytes: limit };
  const { counters, sink, logger } = options;

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
    if (req.method !== 'POST') {
      c.errors++;
      res.setHeader('allow', 'POST');
      return fail(405, `${req.method ?? ''} is not allowed: use POST`);
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
    let rejected: number;
    let message: string | undefined;
    let accepted: number;
    try {
      if (signal === 'traces') {
        const r = decodeOtlpTraces(body, contentType, encoding, limits);
        if (r.spans.length > 0) sink.spans(r.spans);
        [accepted, rejected, message] = [r.spans.length, r.rejected, r.errorMessage];
      } else if (signal === 'metrics') {
        const r = decodeOtlpMetrics(body, contentType, encoding, limits);
        if (r.points.length > 0) sink.points(r.points);
        [accepted, rejected, message] = [r.points.length, r.rejected, r.errorMessage];
      } else {
        const r = decodeOtlpLogs(body, contentType, encoding, limits);
        if (r.records.length > 0) sink.logs(r.records);
        [accepted, rejected, message] = [r.records.length, r.rejected, r.errorMessage];
      }
    } catch (err) {
      c.errors++;
      if (err instanceof SlipwayError) return fail(err.status, `${err.message} (${err.code})`);
      logger.error('OTLP request failed', { signal, err });
      return fail(500, 'internal error');
    }
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
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
