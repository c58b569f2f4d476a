import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Span } from '../../model/index.js';
import { memoryStore, span } from '../../store/test-fixtures/make.js';
import type { TelemetryStore } from '../../store/telemetry-store.js';
import { pagePerformance } from './page-performance.js';

const T0 = Date.UTC(2026, 0, 1);
const WEB = { 'service.name': 'shop-web', 'telemetry.sdk.language': 'webjs' };
let n = 0;
const id = () => (++n).toString(16).padStart(4, '0');
const web = (name: string, durationMs: number, attributes: Record<string, string | number>, kind: Span['kind'] = 'Internal'): Span => ({
  ...span({ trace: id(), id: id(), service: 'shop-web', name, kind, startMs: T0 + n, endMs: T0 + n + durationMs, attributes }),
  resource: WEB,
});
const vital = (route: string, name: string, value: number, rating = 'good') => web('web-vital', 0, { 'page.route': route, 'web_vital.name': name, 'web_vital.value': value, 'web_vital.rating': rating });
const fetchSpan = (route: string, ms: number, status = 200) => web('HTTP GET', ms, { 'page.route': route, 'url.full': 'http://127.0.0.1:8080/api/products', 'http.response.status_code': status }, 'Client');

describe('pagePerformance', () => {
  let store: TelemetryStore;
  beforeEach(() => {
    store = memoryStore();
  });
  afterEach(() => store.close());

  it('gives each route its page loads, fetches and web vitals, from browser spans only', () => {
    // GIVEN two loads of /, one of /cart, fetches (one failed), vitals, and a gateway span that names a route too
    store.write({
      spans: [
        web('documentLoad', 400, { 'page.route': '/' }),
        web('documentLoad', 800, { 'page.route': '/' }),
        web('documentLoad', 300, { 'page.route': '/cart' }),
        web('documentFetch', 50, { 'page.route': '/' }),
        fetchSpan('/', 20),
        fetchSpan('/', 40),
        fetchSpan('/', 90, 503),
        vital('/', 'LCP', 1200),
        vital('/', 'LCP', 2600, 'needs-improvement'),
        vital('/', 'LCP', 4100, 'poor'),
        vital('/', 'CLS', 0.02),
        vital('/', 'TTFB', 35),
        vital('/', 'BOGUS', 1),
        span({ trace: id(), id: id(), service: 'gateway', name: 'documentLoad', kind: 'Server', startMs: T0, endMs: T0 + 5, attributes: { 'page.route': '/' } }),
      ],
      points: [],
      logs: [],
    });
    // WHEN the window's page performance is read
    const pages = pagePerformance(store.db, T0, T0 + 60_000);
    // THEN one entry per route, most loaded first; p75 by nearest rank; the gateway's span is no page
    expect(pages).toEqual([
      {
        service: 'shop-web',
        route: '/',
        documentLoad: { count: 2, p50Ms: 400, p99Ms: 800 },
        fetch: { count: 3, p50Ms: 40, p99Ms: 90, errors: 1 },
        vitals: { LCP: { count: 3, p75: 4100, poor: 1 }, CLS: { count: 1, p75: 0.02, poor: 0 }, TTFB: { count: 1, p75: 35, poor: 0 } },
      },
      { service: 'shop-web', route: '/cart', documentLoad: { count: 1, p50Ms: 300, p99Ms: 300 }, fetch: { count: 0, p50Ms: 0, p99Ms: 0, errors: 0 }, vitals: {} },
    ]);
  });

  it('is empty without browser spans in the window', () => {
    store.write({ spans: [span({ trace: id(), id: id(), service: 'gateway', name: 'GET /', kind: 'Server', startMs: T0, endMs: T0 + 5 })], points: [], logs: [] });
    expect(pagePerformance(store.db, T0, T0 + 60_000)).toEqual([]);
  });
});
