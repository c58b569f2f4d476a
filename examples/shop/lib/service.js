// Runs a Router as an HTTP service: GET /healthz, an access log line per
// request, one JSON error shape, PORT/HOST from the environment, and a
// graceful stop on SIGTERM/SIGINT (stop accepting, finish in-flight, exit 0).
import http from 'node:http';
import { context } from '@opentelemetry/api';
import { HttpError, readJson, sendHtml, sendJson, sendText } from './http.js';
import { log } from './log.js';
import { shutdownTelemetry } from './telemetry.js';

/**
 * Starts serving `router` and resolves once listening.
 * @param {import('./http.js').Router} router
 * @param {{ port?: number, host?: string, drainTimeoutMs?: number, onClose?: () => void }} [options]
 *   port defaults to $PORT (0 picks a free port); host to $HOST or 127.0.0.1;
 *   drainTimeoutMs (default 5000) bounds how long in-flight requests may take after SIGTERM.
 * @returns {Promise<{ server: http.Server, port: number, close: () => Promise<void> }>}
 */
export async function startService(router, options = {}) {
  const port = options.port ?? Number(process.env.PORT ?? 0);
  const host = options.host ?? process.env.HOST ?? '127.0.0.1';
  const drainTimeoutMs = options.drainTimeoutMs ?? 5000;
  let draining = false;

  const server = http.createServer((req, res) => {
    // While draining, ask keep-alive clients to reconnect (to another replica).
    if (draining) res.setHeader('connection', 'close');
    void handle(router, req, res, () => draining);
  });
  server.keepAliveTimeout = 5000;

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const actualPort = server.address().port;
  log.info('listening', { port: actualPort, host, pid: process.pid });

  let closing;
  const close = () => {
    closing ??= (async () => {
      draining = true;
      log.info('shutting down: draining in-flight requests');
      const closed = new Promise((resolve) => server.close(() => resolve()));
      // Keep-alive connections go idle once their last response is sent;
      // close them then instead of waiting for their keep-alive timeout.
      const sweeper = setInterval(() => server.closeIdleConnections(), 50);
      let timer;
      const deadline = new Promise((resolve) => (timer = setTimeout(resolve, drainTimeoutMs)));
      await Promise.race([closed, deadline]);
      clearInterval(sweeper);
      clearTimeout(timer);
      server.closeAllConnections();
      options.onClose?.();
      log.info('stopped');
      await shutdownTelemetry();
    })();
    return closing;
  };

  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => void close().then(() => process.exit(0)));
  }
  return { server, port: actualPort, close };
}

async function handle(router, req, res, isDraining) {
  const started = performance.now();
  const path = (req.url ?? '/').split('?', 1)[0];
  if (path !== '/healthz') log.debug('request started', { method: req.method, path });
  // Bind to the request's span so the access log carries its trace id.
  res.on('finish', context.bind(context.active(), () => {
    if (path === '/healthz') return;
    log.info('request', {
      method: req.method, path, status: res.statusCode,
      duration_ms: Math.round((performance.now() - started) * 10) / 10,
    });
  }));

  try {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz' && req.method === 'GET') {
      return isDraining()
        ? sendJson(res, 503, { status: 'draining' })
        : sendJson(res, 200, { status: 'ok' });
    }
    const route = router.match(req.method ?? 'GET', url.pathname);
    if (route instanceof HttpError) throw route;
    const body = req.method === 'POST' || req.method === 'PUT' ? await readJson(req) : undefined;
    const reply = await route.handler({ req, params: route.params, query: url.searchParams, body });
    if (reply.html !== undefined) sendHtml(res, reply.status ?? 200, reply.html);
    else if (reply.script !== undefined) sendText(res, reply.status ?? 200, 'text/javascript; charset=utf-8', reply.script, { 'cache-control': 'no-cache' });
    else if (reply.json !== undefined) sendJson(res, reply.status ?? 200, reply.json);
    else res.writeHead(reply.status ?? 204).end();
  } catch (err) {
    if (res.headersSent) return void res.destroy();
    if (err instanceof HttpError) {
      sendJson(res, err.status, { error: { code: err.code, message: err.message } });
    } else {
      log.error('unhandled error', { error: err?.message, stack: err?.stack });
      sendJson(res, 500, { error: { code: 'INTERNAL', message: 'internal error' } });
    }
  }
}
