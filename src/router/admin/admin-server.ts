import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { secretsEqual, type Logger } from '../../core/index.js';
import { InputError, NotAllowedError, NotFoundError, SlipwayError } from '../../shared/index.js';
import { PROMETHEUS_CONTENT_TYPE, toPrometheusText } from '../metrics/prometheus.js';
import type { Router } from '../router.js';

/** Options of {@link startAdminServer}. */
export interface AdminServerOptions {
  /** The bearer token every admin request but `GET /admin/health` must carry. */
  readonly token: string;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** 0 picks a free port. @default 0 */
  readonly port?: number;
  /** Largest request body accepted. @default 4194304 (4 MiB) */
  readonly maxBodyBytes?: number;
  readonly logger?: Logger;
}

/** A running admin server. */
export interface AdminServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

type Handler = (router: Router, url: URL, body: unknown) => Promise<unknown> | unknown;

const ROUTES: Record<string, Handler> = {
  'GET /admin/health': (r) => ({ status: 'ok', pid: process.pid, version: r.status().version }),
  'GET /admin/table': (r) => ({ table: r.table() ?? null, status: r.status() }),
  'PUT /admin/table': (r, _u, body) => r.applyTable(body),
  'POST /admin/weights': (r, _u, body) => {
    const b = body as { environment?: unknown; service?: unknown; weights?: unknown } | null;
    const weights = b?.weights;
    if (typeof b?.environment !== 'string' || typeof b.service !== 'string' || typeof weights !== 'object' || weights === null || Array.isArray(weights)) {
      throw new InputError('SLW_ERR_ROUTER_WEIGHTS_INVALID', 'expected { environment: string, service: string, weights: { <targetGroupId>: <percent> } }');
    }
    return r.setWeights({ environment: b.environment, service: b.service, weights: weights as Record<string, number> });
  },
  'GET /admin/verify': (r, url) => {
    const environment = url.searchParams.get('environment');
    const service = url.searchParams.get('service');
    if (environment === null || service === null) throw new InputError('SLW_ERR_API_VALIDATION', 'query parameters environment and service are required');
    return r.verifyWeights(environment, service);
  },
  'GET /admin/shadow': (r) => ({ shadows: r.shadowReports() }),
  'GET /admin/access-log': (r, url) => {
    const after = Number(url.searchParams.get('after') ?? '0');
    const limit = Number(url.searchParams.get('limit') ?? '5000');
    if (!Number.isInteger(after) || after < 0 || !Number.isInteger(limit) || limit < 1 || limit > 20_000) {
      throw new InputError('SLW_ERR_API_VALIDATION', 'after must be an integer ≥ 0 and limit an integer from 1 to 20000');
    }
    return r.accessLog(after, limit);
  },
  'GET /admin/metrics': (r, url) => {
    const w = url.searchParams.get('windowMs');
    return r.metrics(w === null ? undefined : Math.max(0, Number(w) || 0));
  },
};

function send(res: http.ServerResponse, status: number, body: string, contentType = 'application/json'): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

/** The one error body shape of the admin API: `{ error: { code, message, issues } }`. */
function sendError(res: http.ServerResponse, err: unknown, log: Logger | undefined): void {
  const e = err instanceof SlipwayError ? err : new SlipwayError('SLW_ERR_API_INTERNAL', undefined, { cause: err });
  if (e.status >= 500) log?.error('admin request failed', { err });
  send(res, e.status, JSON.stringify({ error: { code: e.code, message: e.message, issues: e.issues } }));
}

function readBody(req: http.IncomingMessage, maxBytes: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) {
        reject(new InputError('SLW_ERR_API_BODY_TOO_LARGE'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (size === 0) return resolve(undefined);
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (cause) {
        reject(new InputError('SLW_ERR_API_VALIDATION', 'the body is not JSON', { cause }));
      }
    });
    req.on('error', reject);
  });
}

function authorized(req: http.IncomingMessage, token: string): boolean {
  const h = req.headers.authorization;
  return h !== undefined && h.startsWith('Bearer ') && secretsEqual(h.slice(7), token);
}

/**
 * Starts the router's admin API on loopback: table, weights, verification,
 * health, and metrics as JSON (`/admin/metrics`) and Prometheus text (`/metrics`).
 */
export async function startAdminServer(router: Router, options: AdminServerOptions): Promise<AdminServer> {
  const host = options.host ?? '127.0.0.1';
  const maxBody = options.maxBodyBytes ?? 4 * 1024 * 1024;
  const server = http.createServer((req, res) => {
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', 'http://admin');
        const key = `${req.method} ${url.pathname}`;
        if (key !== 'GET /admin/health' && !authorized(req, options.token)) {
          throw new NotAllowedError('SLW_ERR_API_UNAUTHORIZED', 'a valid bearer token is required');
        }
        if (key === 'GET /metrics') {
          send(res, 200, toPrometheusText(router.metrics()), PROMETHEUS_CONTENT_TYPE);
          return;
        }
        const shadow = /^\/admin\/shadow\/([^/]+)$/.exec(url.pathname);
        if (req.method === 'GET' && shadow !== null) {
          const id = decodeURIComponent(shadow[1]!);
          const report = router.shadowReport(id);
          if (report === undefined) throw new NotFoundError('SLW_ERR_ROUTER_SHADOW_NOT_FOUND', `no shadow comparison ${id}`);
          send(res, 200, JSON.stringify(report));
          return;
        }
        const handler = ROUTES[key];
        if (handler === undefined) throw new NotFoundError('SLW_ERR_API_NOT_FOUND', `no route ${key}`);
        const body = req.method === 'PUT' || req.method === 'POST' ? await readBody(req, maxBody) : undefined;
        send(res, 200, JSON.stringify(await handler(router, url, body)));
      } catch (err) {
        sendError(res, err, options.logger);
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: options.port ?? 0 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  router.setAdminAddress(host, port);
  return {
    host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
