// Helpers for the router's tests: small upstream servers and a table builder.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import type { RoutingTableInput } from './table/schema.js';

/** A request an upstream test server received. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** An upstream test server answering its name. */
export interface TestBackend {
  readonly name: string;
  readonly port: number;
  readonly seen: SeenRequest[];
  /** Requests held by `hold` mode, released by {@link TestBackend.release}. */
  readonly held: (() => void)[];
  /** When true, new requests wait for `release()` before being answered. */
  hold: boolean;
  /** Answers every held request. */
  release(): void;
  /** Resolves once `count` requests have arrived. */
  waitForRequests(count: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts an upstream on 127.0.0.1 that answers `200 <name>` (or `status`). */
export async function startBackend(name: string, status = 200): Promise<TestBackend> {
  const waiters: { count: number; resolve: () => void }[] = [];
  const backend: TestBackend = {
    name,
    port: 0,
    seen: [],
    held: [],
    hold: false,
    release() {
      for (const answer of backend.held.splice(0)) answer();
    },
    waitForRequests(count) {
      if (backend.seen.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    close: () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      backend.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = (): void => {
        res.writeHead(status, { 'content-type': 'text/plain', 'x-backend': name, connection: 'keep-alive', 'keep-alive': 'timeout=5' });
        res.end(name);
      };
      if (backend.hold) backend.held.push(answer);
      else answer();
      for (const w of waiters.filter((x) => backend.seen.length >= x.count)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (backend as { port: number }).port = (server.address() as AddressInfo).port;
  return backend;
}

/** A loopback port nothing listens on (opened, then closed). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A table with one `service` listener (id `web`, port 0) for `prod/web`, one group per entry. */
export function simpleTable(version: number, groups: readonly { id: string; weightPercent: number; ports: readonly number[] }[], extra: Partial<RoutingTableInput['services'][number]> = {}): RoutingTableInput {
  return {
    version,
    listeners: [{ id: 'web', port: 0, kind: 'service', environment: 'prod', service: 'web' }],
    services: [
      {
        environment: 'prod',
        service: 'web',
        targetGroups: groups.map((g) => ({
          id: g.id,
          revision: `rev-${g.id}`,
          weightPercent: g.weightPercent,
          targets: g.ports.map((port, i) => ({ id: `${g.id}-${i}`, port })),
        })),
        ...extra,
      },
    ],
  };
}

/** A response read whole. */
export interface TestResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** Sends one request to 127.0.0.1:`port` and reads the whole answer. */
export async function send(port: number, path = '/', init: { method?: 'GET' | 'POST' | 'PUT'; headers?: Record<string, string>; body?: string } = {}): Promise<TestResponse> {
  const res = await request(`http://127.0.0.1:${port}${path}`, { method: init.method ?? 'GET', headers: init.headers, body: init.body });
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
}
