import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import type { RumPagesDto, ServiceMapDto, TraceDto, TraceSearchDto } from '../../src/shared/index.js';
import { controlPlaneApi } from '../support/api.js';
import { buildDashboard, CHROMIUM_PATH, hasChromium, launchChromium } from '../support/browser.js';
import { freePort } from '../support/http-wait.js';
import { makeShopRepo, REPO_ROOT } from '../support/shop-repo.js';
import { waitFor } from '../support/temp-dir.js';

// Real-user monitoring end to end: the example shop runs on a real control plane with
// telemetry.rum, a real chromium loads the shop's page through the router's ingress, the page's
// OpenTelemetry web SDK (bundled by the gateway) exports to the OTLP receiver across origins
// (CORS, the public browser key), and a checkout clicked in the page is one trace from the
// browser through gateway, orders and catalog down to catalog's SQLite query.

const SCREENSHOTS = path.resolve(import.meta.dirname, 'screenshots');
const browserMissing = !hasChromium();
if (browserMissing && process.env.CI) throw new Error(`the browser tests need chromium at ${CHROMIUM_PATH}, and CI must have it`);
if (browserMissing) console.warn(`RUM browser tests skipped: no chromium at ${CHROMIUM_PATH}`);

interface Status {
  runtime: { environments: { services: { revisions: { tasks: { state: string }[] }[] }[] }[] };
  telemetry: { ingest: { browserKeys: Record<string, string>; corsOrigins: string[] } };
}

describe.skipIf(browserMissing)('traces that start in the shop page in a real browser', () => {
  const root = path.join(REPO_ROOT, '.slipway', `e2e-rum-${randomBytes(4).toString('hex')}`);
  const cleanups: (() => Promise<void> | void)[] = [];
  let cp: ControlPlane;
  let context: BrowserContext;
  let page: Page;
  let shop: string;
  const pageErrors: string[] = [];
  const api = controlPlaneApi(() => cp);

  beforeAll(async () => {
    fs.mkdirSync(root, { recursive: true });
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    cleanups.push(() => fs.rmSync(root, { recursive: true, force: true }));
    // Production's ingress port is known before the start: the page's origin is in the model's allow-list.
    const port = await freePort();
    shop = `http://127.0.0.1:${port}`;
    const [, repo] = await Promise.all([
      buildDashboard(),
      makeShopRepo(path.join(root, 'shop'), { productionIngressPort: port, telemetry: { rum: { origins: [shop], serviceName: 'shop-web' } } }),
    ]);
    cp = await startControlPlane({ dataDir: path.join(root, 'data'), port: 0, configFile: repo.configFile, pollIntervalMs: 60_000, drainMs: 100, token: 'rum-test-token-0123456789abcdef' });
    cleanups.push(() => cp.close({ stopTasks: true }));
    await waitFor(
      'every task healthy',
      async () => {
        const s = await api<Status>('GET', '/api/v1/status');
        const tasks = s.runtime.environments.flatMap((e) => e.services.flatMap((svc) => svc.revisions.flatMap((r) => r.tasks)));
        return tasks.length === 8 && tasks.every((t) => t.state === 'Healthy') ? s : undefined;
      },
      60_000,
      250,
    );
    const browser = await launchChromium();
    cleanups.push(browser.close);
    context = browser.context;
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (err) => pageErrors.push(err.message));
  }, 180_000);

  afterAll(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  }, 60_000);

  it('finds a trace from a checkout clicked in the page that starts in the browser and reaches the database span', async () => {
    // GIVEN the shop's page, loaded through production's ingress
    const exports: number[] = [];
    page.on('response', (r) => {
      if (r.url().endsWith('/v1/traces') && r.request().method() === 'POST') exports.push(r.status());
    });
    await page.goto(`${shop}/`);
    await page.locator('button.buy').first().waitFor({ timeout: 30_000 });
    // WHEN a shopper buys the first product
    await page.locator('button.buy').first().click();
    await page.locator('#toast.ok').waitFor({ timeout: 30_000 });
    // ...and leaves the page hidden, which is when CLS and INP are final and sent
    await page.evaluate("Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true }); document.dispatchEvent(new Event('visibilitychange'))");

    // THEN a trace whose root is the browser's checkout fetch, with gateway, orders and catalog and catalog's SQLite span
    const trace = await waitFor(
      'a checkout trace from the browser to the database',
      async () => {
        const { traces } = await api<TraceSearchDto>('GET', '/api/v1/traces?service=shop-web&since=10m&limit=100');
        for (const t of traces.filter((x) => x.rootService === 'shop-web')) {
          const full = await api<TraceDto>('GET', `/api/v1/traces/${t.traceId}`);
          if (full.spans.some((s) => s.service === 'catalog' && s.attributes['db.system'] === 'sqlite') && full.spans.some((s) => s.service === 'orders')) return full;
        }
        return undefined;
      },
      45_000,
      500,
    );
    const rootSpan = trace.spans[0]!;
    expect([rootSpan.service, rootSpan.kind, rootSpan.depth, rootSpan.parentSpanId, rootSpan.attributes['page.route']]).toEqual(['shop-web', 'Client', 0, undefined, '/']);
    expect(String(rootSpan.attributes['url.full'])).toBe(`${shop}/api/checkout`);
    expect(new Set(trace.spans.map((s) => s.service))).toEqual(new Set(['shop-web', 'gateway', 'orders', 'catalog', 'payments']));
    // The gateway's server span is the browser span's child: the W3C traceparent crossed the network.
    const gatewayEntry = trace.spans.find((s) => s.service === 'gateway' && s.kind === 'Server');
    expect(gatewayEntry?.parentSpanId).toBe(rootSpan.spanId);
    const dbSpan = trace.spans.find((s) => s.service === 'catalog' && s.attributes['db.system'] === 'sqlite');
    expect(dbSpan?.depth).toBeGreaterThan(3);
    // Every export the page made was accepted across origins; the page threw nothing.
    expect(exports.length).toBeGreaterThan(0);
    expect(exports.every((s) => s === 200)).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('keeps the page load and web vitals of the route, and shows them per route', async () => {
    const pages = await waitFor(
      'page performance of /',
      async () => {
        const r = await api<RumPagesDto>('GET', '/api/v1/rum/pages?since=10m');
        const home = r.pages.find((p) => p.route === '/');
        return home !== undefined && home.documentLoad.count > 0 && home.vitals.TTFB !== undefined && home.fetch.count >= 2 ? r : undefined;
      },
      30_000,
      500,
    );
    const home = pages.pages.find((p) => p.route === '/')!;
    expect(home.service).toBe('shop-web');
    expect(home.documentLoad.p50Ms).toBeGreaterThan(0);
    expect(home.fetch.errors).toBe(0);
    expect(home.vitals.TTFB?.p75).toBeGreaterThanOrEqual(0);
  });

  it('shows the browser as a client node calling the gateway, in the API and in the service map view', async () => {
    const map = await api<ServiceMapDto>('GET', '/api/v1/service-map?since=10m');
    expect(map.nodes.find((n) => n.id === 'shop-web')?.type).toBe('client');
    expect(map.nodes.find((n) => n.id === 'gateway')?.type).toBe('service');
    expect(map.edges.some((e) => e.source === 'shop-web' && e.target === 'gateway')).toBe(true);

    await page.goto(cp.loginUrl());
    await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 15_000 });
    // The view opens on production, and on its service with the most requests as the router counted them.
    const requests = async (service: string) => {
      const r = await api<{ values: (number | null)[] }>('GET', `/api/v1/metrics/query?name=RequestCount&stat=Sum&period=1m&since=1h&dim.environment=production&dim.service=${service}`);
      return [service, r.values.reduce<number>((n, v) => n + (v ?? 0), 0)] as const;
    };
    // The router's counters are scraped every 5 s: wait until the shopper's requests are counted.
    const counts = await waitFor(
      "the router's request counts",
      async () => {
        const c = await Promise.all(['gateway', 'catalog', 'orders', 'payments'].map(requests));
        return c.every(([, n]) => n > 0) ? c : undefined;
      },
      30_000,
      500,
    );
    const busiest = counts.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
    await page.goto(`${cp.url}/service-map?range=1h`);
    await page.locator('.map-node.map-focus').waitFor({ timeout: 20_000 });
    expect([await page.getByRole('combobox', { name: 'Environment' }).inputValue(), await page.locator('.map-node.map-focus .map-node-name').textContent()]).toEqual(['production', busiest]);
    const node = page.locator('.map-node.map-kind-client');
    await node.waitFor({ timeout: 20_000 });
    expect(await node.locator('.map-node-name').textContent()).toBe('browser · shop-web');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'service-map-browser.png') });

    // The Pages view has the route with its loads and vitals.
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Pages', exact: true }).click();
    const row = page.locator('tr[data-route="/"]');
    await row.waitFor({ timeout: 20_000 });
    expect(await row.locator('th').textContent()).toBe('shop-web /');
    expect(await row.locator('td[data-vital="TTFB"]').count()).toBe(1);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'pages.png') });
  });

  it('refuses a page of another origin, and the public key reads nothing', async () => {
    const s = await api<Status>('GET', '/api/v1/status');
    const key = s.telemetry.ingest.browserKeys.production!;
    expect(s.telemetry.ingest.corsOrigins).toEqual([shop]);
    const otlp = `http://127.0.0.1:${(await api<{ server: { ports: { otlp: number } } }>('GET', '/api/v1/status')).server.ports.otlp}`;
    const preflight = await fetch(`${otlp}/v1/traces`, { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
    expect([preflight.status, preflight.headers.get('access-control-allow-origin')]).toEqual([403, null]);
    const read = await fetch(`${cp.url}/api/v1/traces`, { headers: { authorization: `Bearer ${key}` } });
    expect(read.status).toBe(401);
  });
});
