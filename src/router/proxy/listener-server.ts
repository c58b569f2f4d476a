import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConflictError } from '../../shared/index.js';
import type { CompiledListener } from '../table/compiled.js';
import { createRequestHandler, type ListenerSlot, type ProxyContext } from './handle-request.js';

/** An open listener port and the slot its requests read the compiled listener from. */
export interface OpenListener {
  readonly slot: ListenerSlot;
  readonly server: http.Server;
  /** The port asked for in the table (0 = any). */
  readonly requestedPort: number;
  /** The port actually open. */
  readonly port: number;
}

function listen(server: http.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Opens a listener port. For `port: 0`, `preferredPort` (the port of a previous
 * run) is tried first so clients keep their address across router restarts.
 */
export async function openListener(listener: CompiledListener, host: string, ctx: ProxyContext, preferredPort?: number): Promise<OpenListener> {
  const slot: ListenerSlot = { current: listener };
  const server = http.createServer({ keepAlive: true, noDelay: true }, createRequestHandler(slot, ctx));
  // Longer than common client idle timeouts, as ALB's 60 s, so the client closes first.
  server.keepAliveTimeout = 65_000;
  server.on('connection', (socket) => {
    const m = slot.current.metrics;
    m.activeConnectionCount++;
    m.newConnectionCount++;
    socket.once('close', () => m.activeConnectionCount--);
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });
  const candidates = listener.port === 0 && preferredPort !== undefined && preferredPort > 0 ? [preferredPort, 0] : [listener.port];
  let lastError: Error | undefined;
  for (const port of candidates) {
    try {
      const actual = await listen(server, host, port);
      return { slot, server, requestedPort: listener.port, port: actual };
    } catch (err) {
      lastError = err as Error;
    }
  }
  throw new ConflictError('SLW_ERR_ROUTER_PORT_IN_USE', `listener ${listener.id} cannot open ${host}:${listener.port}: ${lastError?.message}`, { cause: lastError });
}

/**
 * Closes a listener: stops accepting, closes idle keep-alive connections now and
 * the rest once their requests are done, cutting any left after `drainMs`.
 */
export function closeListener(open: OpenListener, drainMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => open.server.closeAllConnections(), drainMs);
    timer.unref();
    open.server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    open.server.closeIdleConnections();
  });
}
