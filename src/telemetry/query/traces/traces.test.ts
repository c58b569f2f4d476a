import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Span } from '../../model/index.js';
import { memoryStore, span } from '../../store/test-fixtures/make.js';
import { readTrace } from '../../store/read-spans.js';
import type { TelemetryStore } from '../../store/telemetry-store.js';
import { isBrowserResource } from '../service-map/browser-services.js';
import { buildServiceMap } from '../service-map/service-map.js';
import { searchTraces } from './search-traces.js';
import { normalizeStatement, slowQueries } from './slow-queries.js';
import { buildTraceView } from './trace-view.js';

const T0 = Date.UTC(2026, 0, 1);

type Variant = 'ok' | 'payments-fault' | 'catalog-404';

/** gateway → orders → {catalog → sqlite, payments (→ api.stripe.com in 'ok')}, shifted by `offsetMs`. */
function checkout(trace: string, offsetMs: number, variant: Variant): Span[] {
  const t = (ms: number) => T0 + offsetMs + ms;
  const fault = variant === 'payments-fault';
  const notFound = variant === 'catalog-404';
  const spans = [
    span({ trace, id: 'a1', service: 'gateway', name: 'GET /checkout', kind: 'Server', startMs: t(0), endMs: t(100), ...(fault ? { status: 'Error', attributes: { 'http.response.status_code': 500 } } : {}) }),
    span({ trace, id: 'a2', parent: 'a1', service: 'gateway', name: 'POST orders', kind: 'Client', startMs: t(5), endMs: t(95), attributes: { 'server.address': 'orders' } }),
    span({ trace, id: 'b1', parent: 'a2', service: 'orders', name: 'POST /orders', kind: 'Server', startMs: t(10), endMs: t(90), ...(fault ? { status: 'Error', attributes: { 'http.response.status_code': 500 } } : {}) }),
    span({ trace, id: 'b2', parent: 'b1', service: 'orders', name: 'GET catalog', kind: 'Client', startMs: t(15), endMs: t(45), attributes: { 'server.address': 'catalog' } }),
    span({ trace, id: 'b4', parent: 'b1', service: 'orders', name: 'validate', startMs: t(16), endMs: t(30) }),
    span({ trace, id: 'c1', parent: 'b2', service: 'catalog', name: 'GET /items', kind: 'Server', startMs: t(18), endMs: t(42), attributes: { 'http.status_code': notFound ? 404 : 200 } }),
    span({ trace, id: 'c2', parent: 'c1', service: 'catalog', name: 'SELECT items', kind: 'Client', startMs: t(20), endMs: t(40), attributes: { 'db.system': 'sqlite', 'db.statement': `SELECT * FROM items WHERE id = ${offsetMs + 7}` } }),
    span({ trace, id: 'b3', parent: 'b1', service: 'orders', name: 'POST payments', kind: 'Client', startMs: t(50), endMs: t(85), attributes: { 'server.address': 'payments' } }),
    span({
      trace, id: 'd1', parent: 'b3', service: 'payments', name: 'POST /pay', kind: 'Server', startMs: t(55), endMs: t(80),
      ...(fault
        ? { status: 'Error', attributes: { 'http.response.status_code': 500 }, events: [{ name: 'exception', timeMs: t(79), attributes: { 'exception.type': 'CardDeclined', 'exception.message': 'card declined' } }] }
        : {}),
    }),
  ];
  if (variant === 'ok') spans.push(span({ trace, id: 'd2', parent: 'd1', service: 'payments', name: 'POST charge', kind: 'Client', startMs: t(60), endMs: t(75), attributes: { 'server.address': 'api.stripe.com' } }));
  return spans;
}

const A = 'aaa1';
const B = 'bbb2';
const C = 'ccc3';
const hex = (s: string) => s.padStart(32, '0');

describe('traces and the service map', () => {
  let store: TelemetryStore;
  beforeEach(() => {
    store = memoryStore();
    // GIVEN three checkouts; trace A arrives children first in two batches, so links resolve across batches
    const a = checkout(A, 0, 'ok');
    store.write({ spans: a.slice(5), points: [], logs: [] });
    store.write({ spans: a.slice(0, 5), points: [], logs: [] });
    store.write({ spans: checkout(B, 1000, 'payments-fault'), points: [], logs: [] });
    store.write({ spans: checkout(C, 2000, 'catalog-404'), points: [], logs: [] });
  });
  afterEach(() => store.close());

  it('gives the trace as a waterfall with depth, self time per service and the critical path', () => {
    // WHEN trace A is viewed
    const view = buildTraceView(hex(A), readTrace(store.db, hex(A)));
    // THEN spans are depth-first by start time; validate (inside GET catalog) is off the critical path
    expect(view.spans.map((s) => [s.name, s.depth, s.selfTimeMs])).toEqual([
      ['GET /checkout', 0, 10],
      ['POST orders', 1, 10],
      ['POST /orders', 2, 15],
      ['GET catalog', 3, 6],
      ['GET /items', 4, 4],
      ['SELECT items', 5, 20],
      ['validate', 3, 14],
      ['POST payments', 3, 10],
      ['POST /pay', 4, 10],
      ['POST charge', 5, 15],
    ]);
    expect(view.services).toEqual([
      { service: 'orders', selfTimeMs: 45, spanCount: 4 },
      { service: 'payments', selfTimeMs: 25, spanCount: 2 },
      { service: 'catalog', selfTimeMs: 24, spanCount: 2 },
      { service: 'gateway', selfTimeMs: 20, spanCount: 2 },
    ]);
    const pad = (s: string) => s.padStart(16, '0');
    expect(view.criticalPath).toEqual(['a1', 'a2', 'b1', 'b2', 'c1', 'c2', 'b3', 'd1', 'd2'].map(pad));
    expect([view.rootService, view.rootOperation, view.durationMs, view.spanCount, view.errors]).toEqual(['gateway', 'GET /checkout', 100, 10, []]);
  });

  it('lists exceptions and failed spans of a trace', () => {
    const view = buildTraceView(hex(B), readTrace(store.db, hex(B)));
    expect(view.errors).toEqual([
      { spanId: 'a1'.padStart(16, '0'), service: 'gateway', name: 'GET /checkout', timeMs: T0 + 1100 },
      { spanId: 'b1'.padStart(16, '0'), service: 'orders', name: 'POST /orders', timeMs: T0 + 1090 },
      { spanId: 'd1'.padStart(16, '0'), service: 'payments', name: 'POST /pay', timeMs: T0 + 1079, type: 'CardDeclined', message: 'card declined' },
    ]);
  });

  it.each([
    { name: 'a service', q: { service: 'payments' }, expected: [C, B, A] },
    { name: 'a failed span of a service', q: { service: 'payments', status: 'Error' as const }, expected: [B] },
    { name: 'an attribute', q: { attributes: { 'http.status_code': '404' } }, expected: [C] },
    { name: 'an operation and a duration', q: { operation: 'SELECT items', minDurationMs: 20 }, expected: [C, B, A] },
    { name: 'a duration no span reaches', q: { minDurationMs: 101 }, expected: [] },
    { name: 'a limit', q: { limit: 2 }, expected: [C, B] },
  ])('searches traces by $name', ({ q, expected }) => {
    // WHEN searching the window THEN the matching traces, newest first
    const found = searchTraces(store.db, { startMs: T0, endMs: T0 + 10_000, ...q });
    expect(found.map((s) => s.traceId)).toEqual(expected.map(hex));
  });

  it('summarises traces', () => {
    const [c, b] = searchTraces(store.db, { startMs: T0, endMs: T0 + 10_000, limit: 2 });
    expect(c).toEqual({ traceId: hex(C), rootService: 'gateway', rootOperation: 'GET /checkout', startMs: T0 + 2000, durationMs: 100, spanCount: 9, error: false });
    expect(b?.error).toBe(true);
  });

  it('groups database statements by their normalized text', () => {
    expect(slowQueries(store.db, T0, T0 + 10_000)).toEqual([
      { statement: 'SELECT * FROM items WHERE id = ?', dbSystem: 'sqlite', count: 3, p50Ms: 20, p99Ms: 20, maxMs: 20, totalMs: 60, exampleTraceId: hex(A) },
    ]);
  });

  it.each([
    { sql: "SELECT * FROM t WHERE id = 42 AND s IN ('a','b', 'c')", expected: 'SELECT * FROM t WHERE id = ? AND s IN (?)' },
    { sql: 'select  a1, b2\n from t2 where x > -3.5e2', expected: 'select a1, b2 from t2 where x > ?' },
    { sql: "UPDATE t SET n = 'it''s' WHERE id IN (1, 2)", expected: 'UPDATE t SET n = ? WHERE id IN (?)' },
  ])('normalizes $sql', ({ sql, expected }) => {
    expect(normalizeStatement(sql)).toBe(expected);
  });

  it('builds the service map with databases, external calls, errors and faults', () => {
    // WHEN the map of the window is built
    const map = buildServiceMap(store.db, T0, T0 + 10_000);
    const stats = (x: { requests: number; errors: number; faults: number }) => [x.requests, x.errors, x.faults];
    // THEN one node per service plus sqlite and api.stripe.com; 4xx count as errors, 5xx as faults
    expect(map.nodes.map((n) => [n.id, n.type, ...stats(n)])).toEqual([
      ['api.stripe.com', 'external', 1, 0, 0],
      ['catalog', 'service', 3, 1, 0],
      ['gateway', 'service', 3, 0, 1],
      ['orders', 'service', 3, 0, 1],
      ['payments', 'service', 3, 0, 1],
      ['sqlite', 'database', 3, 0, 0],
    ]);
    expect(map.edges.map((e) => [e.source, e.target, ...stats(e)])).toEqual([
      ['catalog', 'sqlite', 3, 0, 0],
      ['gateway', 'orders', 3, 0, 1],
      ['orders', 'catalog', 3, 1, 0],
      ['orders', 'payments', 3, 0, 1],
      ['payments', 'api.stripe.com', 1, 0, 0],
    ]);
    const edge = map.edges.find((e) => e.target === 'payments');
    expect([edge?.p50Ms, edge?.p99Ms, edge?.faultRate]).toEqual([25, 25, 1 / 3]);
    expect(map.nodes.find((n) => n.id === 'sqlite')?.dbSystem).toBe('sqlite');
  });

  it('draws the browser of real-user monitoring as a client node calling the gateway', () => {
    // GIVEN a page's fetch (a root client span of shop-web, from the web SDK) answered by the gateway, and a page load
    const web = { 'service.name': 'shop-web', 'telemetry.sdk.language': 'webjs' };
    const t = (ms: number) => T0 + 5000 + ms;
    store.write({
      spans: [
        { ...span({ trace: 'eee5', id: 'f1', service: 'shop-web', name: 'HTTP POST', kind: 'Client', startMs: t(0), endMs: t(120), attributes: { 'url.full': 'http://127.0.0.1:8080/api/checkout' } }), resource: web },
        span({ trace: 'eee5', id: 'f2', parent: 'f1', service: 'gateway', name: 'POST /api/checkout', kind: 'Server', startMs: t(10), endMs: t(110) }),
        { ...span({ trace: 'fff6', id: 'f3', service: 'shop-web', name: 'documentLoad', startMs: t(0), endMs: t(300) }), resource: web },
      ],
      points: [],
      logs: [],
    });
    // WHEN the map is built THEN shop-web is a client with an edge to the gateway, and the gateway stays a service
    const map = buildServiceMap(store.db, T0, T0 + 10_000);
    expect(map.nodes.filter((n) => n.id === 'shop-web' || n.id === 'gateway').map((n) => [n.id, n.type, n.requests])).toEqual([
      ['gateway', 'service', 4],
      ['shop-web', 'client', 2],
    ]);
    expect(map.edges.filter((e) => e.source === 'shop-web').map((e) => [e.target, e.requests])).toEqual([['gateway', 1]]);
  });

  it('draws one environment\'s map when asked, from the resource\'s deployment.environment(.name)', () => {
    // GIVEN a staging call gateway → catalog and a production call gateway → orders (older SDKs name the environment without .name)
    const t = (ms: number) => T0 + 7000 + ms;
    const env = (service: string, name: string, key = 'deployment.environment.name') => ({ 'service.name': service, [key]: name });
    store.write({
      spans: [
        { ...span({ trace: 'aaa7', id: 'g1', service: 'gateway', name: 'GET /', kind: 'Server', startMs: t(0), endMs: t(50) }), resource: env('gateway', 'staging') },
        { ...span({ trace: 'aaa7', id: 'g2', parent: 'g1', service: 'gateway', name: 'GET catalog', kind: 'Client', startMs: t(5), endMs: t(45), attributes: { 'server.address': 'catalog' } }), resource: env('gateway', 'staging') },
        { ...span({ trace: 'aaa7', id: 'g3', parent: 'g2', service: 'catalog', name: 'GET /items', kind: 'Server', startMs: t(10), endMs: t(40) }), resource: env('catalog', 'staging') },
        { ...span({ trace: 'bbb8', id: 'h1', service: 'gateway', name: 'POST /checkout', kind: 'Server', startMs: t(0), endMs: t(50) }), resource: env('gateway', 'production', 'deployment.environment') },
        { ...span({ trace: 'bbb8', id: 'h2', parent: 'h1', service: 'gateway', name: 'POST orders', kind: 'Client', startMs: t(5), endMs: t(45), attributes: { 'server.address': 'orders' } }), resource: env('gateway', 'production', 'deployment.environment') },
        { ...span({ trace: 'bbb8', id: 'h3', parent: 'h2', service: 'orders', name: 'POST /orders', kind: 'Server', startMs: t(10), endMs: t(40) }), resource: env('orders', 'production') },
      ],
      points: [],
      logs: [],
    });
    // WHEN each environment's map is built THEN only its own calls; spans naming no environment are left out
    const edges = (environment: string) => buildServiceMap(store.db, T0 + 7000, T0 + 8000, environment).edges.map((e) => `${e.source}→${e.target}`);
    expect([edges('staging'), edges('production'), edges('development')]).toEqual([['gateway→catalog'], ['gateway→orders'], []]);
  });

  it.each([
    ['the web SDK', { 'service.name': 'shop-web', 'telemetry.sdk.language': 'webjs' }, true],
    ['the browser detector', { 'service.name': 'web', 'browser.platform': 'Linux' }, true],
    ['the Node SDK', { 'service.name': 'gateway', 'telemetry.sdk.language': 'nodejs' }, false],
    ['no SDK attributes', {}, false],
  ])('tells a browser resource from %s', (_name, resource, expected) => {
    expect(isBrowserResource(JSON.stringify(resource))).toBe(expected);
  });
  it('does not take unreadable resource text for a browser', () => {
    expect([isBrowserResource('not json'), isBrowserResource('null'), isBrowserResource('"webjs"')]).toEqual([false, false, false]);
  });
});
