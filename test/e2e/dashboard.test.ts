import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import type { PipelineRunDto } from '../../src/shared/index.js';
import { controlPlaneApi } from '../support/api.js';
import { buildDashboard, CHROMIUM_PATH, hasChromium, launchChromium } from '../support/browser.js';
import { waitForEvent } from '../support/deployment-events.js';
import { makeShopRepo, REPO_ROOT, type ShopRepo } from '../support/shop-repo.js';
import { shopTraffic, type ShopTrafficResult } from '../support/shop-traffic.js';
import { waitFor } from '../support/temp-dir.js';

// Every view of the dashboard against a real control plane running the example
// shop: its pipeline takes a commit from main to production (build log, unit
// tests, an approval given in the browser), production takes it as a canary
// with traffic steps, shoppers' requests go through the router so the services
// export real traces, metrics and logs, an alarm fires and opens an incident,
// and DORA counts the release. Nothing is stood in for.

const SCREENSHOTS = path.resolve(import.meta.dirname, 'screenshots');
const SERVICES = ['gateway', 'catalog', 'orders', 'payments'];
const ENVIRONMENTS = ['staging', 'production'];
// Fires on the first few pages the shop does not have (the gateway answers 404): an alarm, and an incident, for real.
const STAGING_4XX = {
  description: 'Shoppers in staging ask for pages the shop does not have',
  metric: 'HTTPCode_Target_4XX_Count',
  service: 'gateway',
  environment: 'staging',
  stat: 'Sum',
  period: '5s',
  threshold: 2,
  evaluationPeriods: 1,
};

// What the shop answers a burst of 30 product lists, 12 product pages and 10 checkouts (201 Created) when nothing is lost.
const SHOPPERS = { browse: 30, product: 12, checkout: 10 };
const EVERY_SHOPPER_ANSWERED = { byStatus: { 200: 42, 201: 10 }, errors: 0 };

const browserMissing = !hasChromium();
if (browserMissing && process.env.CI) throw new Error(`the browser tests need chromium at ${CHROMIUM_PATH}, and CI must have it`);
if (browserMissing) console.warn(`dashboard browser tests skipped: no chromium at ${CHROMIUM_PATH} (install Debian's chromium; CI fails instead of skipping)`);

interface Status {
  runtime: {
    environments: { name: string; services: { name: string; revisions: { revision: string; weightPercent: number; tasks: { state: string }[] }[] }[] }[];
    router: { listeners: { kind: string; environment: string; port: number }[] };
  };
}
type Run = PipelineRunDto;
interface Deployment {
  id: number;
  service: string;
  environment: string;
  state: string;
  fromRevision: string | null;
  toRevision: string;
}

describe.skipIf(browserMissing)('the dashboard in a real browser, against the example shop on a real control plane', () => {
  // Inside the repository (git-ignored `.slipway/`): the shop's services and its tests find the repository's node_modules.
  const root = path.join(REPO_ROOT, '.slipway', `e2e-dashboard-${randomBytes(4).toString('hex')}`);
  const cleanups: (() => Promise<void> | void)[] = [];
  let repo: ShopRepo;
  let cp: ControlPlane;
  let context: BrowserContext;
  let page: Page;
  let released: string;
  let head: string;
  let ingress: Record<string, string>;
  let stagingTraffic: Promise<ShopTrafficResult>;
  let productionTraffic: Promise<ShopTrafficResult>;
  let canaryTraffic: Promise<ShopTrafficResult> | undefined;
  const consoleErrors: string[] = [];
  // Answers other than 2xx the test asks for on purpose; the browser logs each as a console error.
  const expectedErrors: { status: number; path: string }[] = [];

  const api = controlPlaneApi(() => cp);
  const short = (sha: string) => sha.slice(0, 12);
  const shoot = async (name: string) => {
    // The event stream stays open, so the network is never idle for long: wait briefly, not for it.
    await page.waitForLoadState('networkidle', { timeout: 1500 }).catch(() => undefined);
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  };
  const openView = async (label: string, heading: RegExp | string) => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: label, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  };
  const stageLabels = () => page.getByRole('listitem', { name: /^Stage / }).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
  const allTasksHealthy = async () => {
    const s = await api<Status>('GET', '/api/v1/status');
    const tasks = s.runtime.environments.flatMap((e) => e.services.flatMap((svc) => svc.revisions.flatMap((r) => r.tasks)));
    return tasks.length === ENVIRONMENTS.length * SERVICES.length && tasks.every((t) => t.state === 'Healthy') ? s : undefined;
  };
  const productionDeployment = (service: string) =>
    api<{ deployments: Deployment[] }>('GET', `/api/v1/deployments?environment=production&service=${service}`).then((r) => r.deployments.find((d) => d.toRevision === short(head)));
  /** A view in error or "not served" state is a failure, whatever else it shows. */
  const expectNoErrorState = async () => {
    expect(await page.locator('[role="alert"], .error-box, .error-text').allTextContents()).toEqual([]);
    expect(await page.getByText(/on this server yet/).count()).toBe(0);
  };

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    fs.mkdirSync(root, { recursive: true });
    cleanups.push(() => fs.rmSync(root, { recursive: true, force: true }));
    const [, made] = await Promise.all([buildDashboard(), makeShopRepo(path.join(root, 'shop'), {
        alarms: { 'staging-4xx': STAGING_4XX },
        dashboards: {
          oncall: {
            widgets: [
              { type: 'metric', title: 'Healthy gateway hosts', metric: 'HealthyHostCount', service: 'gateway', environment: 'production', stat: 'Maximum', period: '10s' },
              { type: 'logs', title: 'Latest lines', query: 'fields @timestamp, @message | sort @timestamp desc | limit 5' },
              { type: 'text', title: 'Runbook', markdown: 'Roll back first, then look.' },
            ],
          },
        },
      })]);
    repo = made;
    released = repo.released;
    head = repo.head;
    cp = await startControlPlane({ dataDir: path.join(root, 'data'), port: 0, configFile: repo.configFile, pollIntervalMs: 500, drainMs: 100, token: 'dashboard-test-token-0123456789' });
    cleanups.push(() => cp.close({ stopTasks: true }));
    const status = await waitFor('every task of the released commit healthy', allTasksHealthy, 45_000, 250);
    ingress = Object.fromEntries(status.runtime.router.listeners.filter((l) => l.kind === 'ingress').map((l) => [l.environment, `http://127.0.0.1:${l.port}`]));
    // Shoppers in both environments while the pipeline builds; in staging a few ask for pages that do not exist.
    stagingTraffic = shopTraffic(ingress.staging!, { browse: 10, product: 6, checkout: 4, missing: 8 });
    productionTraffic = shopTraffic(ingress.production!, SHOPPERS);

    const browser = await launchChromium();
    cleanups.push(browser.close);
    context = browser.context;
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (err) => consoleErrors.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const url = msg.location().url;
      const expected = expectedErrors.findIndex((x) => msg.text().includes(`status of ${x.status}`) && url.endsWith(x.path));
      if (expected >= 0) expectedErrors.splice(expected, 1);
      else consoleErrors.push(`${msg.text()} (${url})`);
    });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([canaryTraffic, stagingTraffic, productionTraffic].map((t) => t?.catch(() => undefined)));
    for (const c of cleanups.splice(0).reverse()) await c();
  }, 60_000);

  it('signs in with the one-time link: an HttpOnly session cookie, and a used link is refused', async () => {
    const link = cp.loginUrl();
    await page.goto(link);
    await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 15_000 });
    expect(new URL(page.url()).searchParams.get('token')).toBeNull();
    expect((await context.cookies(cp.url)).find((c) => c.name === 'slipway_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

    // GIVEN the same link a second time, in another tab
    const other = await context.newPage();
    const otherErrors: string[] = [];
    other.on('console', (msg) => {
      // The refusal itself is a 401 the browser logs; anything else is a failure.
      if (msg.type() === 'error' && !(msg.text().includes('status of 401') && msg.location().url.endsWith('/api/v1/session'))) otherErrors.push(msg.text());
    });
    await other.goto(link);
    // THEN the login view says so, and offers to sign in another way
    await other.getByText('This login link was already used or has expired.', { exact: false }).waitFor({ timeout: 10_000 });
    expect(new URL(other.url()).searchParams.get('token')).toBeNull();
    await other.screenshot({ path: path.join(SCREENSHOTS, 'login-link-used.png') });
    await other.close();
    expect(otherErrors).toEqual([]);
  });

  it('shows every service of the released commit Healthy in both environments, with its traffic', async () => {
    await page.goto(`${cp.url}/`);
    await page.getByRole('heading', { level: 1, name: 'shop' }).waitFor();
    await expect.poll(() => page.locator('tr[data-health="Healthy"]').count(), { timeout: 15_000 }).toBe(8);
    for (const env of ENVIRONMENTS) {
      await page.getByRole('heading', { level: 2, name: env }).waitFor();
      for (const svc of SERVICES) {
        const row = page.locator(`tr[data-service="${env}/${svc}"]`);
        expect(await row.locator('.svc-name').textContent()).toBe(svc);
        expect(await row.locator('th .mono').textContent()).toBe(short(released));
        expect(await row.getByRole('img', { name: new RegExp(`^${svc} task .* \\(${short(released)}\\): Healthy`) }).count()).toBe(1);
        expect(await row.getByRole('img', { name: /^Traffic of / }).getAttribute('aria-label')).toBe(`Traffic of ${svc} in ${env}: ${short(released)} 100%`);
      }
    }
    // Each environment links its ingress, on the port the router picked.
    for (const env of ENVIRONMENTS) {
      const link = page.locator(`section[aria-labelledby="env-${env}"] .card-head a`);
      expect(await link.getAttribute('href')).toBe(`${ingress[env]}/`);
      expect(await link.textContent()).toBe(`ingress :${new URL(ingress[env]!).port}`);
    }
    // The app's alarms, each with its state and CloudWatch-style reason.
    const alarms = page.getByRole('region', { name: 'Alarms' }).or(page.locator('section[aria-labelledby="alarms-title"]'));
    for (const name of ['gateway-5xx', 'staging-4xx']) await alarms.getByText(name, { exact: true }).waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
    await expectNoErrorState();
    await shoot('overview');
  });

  it('shows a new event in the events view as soon as it is appended', async () => {
    await openView('Events', 'Events');
    await page.locator('li.event').first().waitFor();
    // The log so far: the released commit's tasks started and turned healthy.
    expect(await page.locator('li.event[data-type="service.revision.started"]').count()).toBeGreaterThanOrEqual(8);
    await page.getByText('Live', { exact: true }).waitFor();
    expect(await page.locator('li[data-type="custom.test.hello"]').count()).toBe(0);
    await api('POST', '/api/v1/events', { type: 'custom.test.hello', subject: 'x', data: { from: 'the browser test' } });
    const hello = page.locator('li[data-type="custom.test.hello"]');
    await hello.waitFor({ timeout: 5000 });
    await hello.getByRole('button').click();
    await hello.getByText('the browser test').waitFor();
    await shoot('events');
    // AND a type filter keeps only that prefix
    await page.getByRole('button', { name: 'custom', exact: true }).click();
    await expect.poll(() => page.locator('li.event').count()).toBe(1);
    await page.getByRole('button', { name: 'custom', exact: true }).click();
  });

  describe('telemetry from shoppers\' requests through the router', () => {
    let answered = 0;
    beforeAll(async () => {
      const shoppers = await productionTraffic;
      answered = Object.values(shoppers.byStatus).reduce((n, c) => n + c, 0);
      expect(shoppers).toEqual(EVERY_SHOPPER_ANSWERED);
      // Spans are exported every 500 ms; wait until every service's have arrived, and a checkout's trace is whole.
      await waitFor(
        'the service map to show every service',
        async () => {
          const map = await api<{ nodes: { id: string }[] }>('GET', '/api/v1/service-map?since=15m');
          return SERVICES.every((s) => map.nodes.some((n) => n.id === s)) ? map : undefined;
        },
        30_000,
        500,
      );
    }, 60_000);

    it('lays out the service map with the shop\'s services and opens the traces of a clicked one', async () => {
      await openView('Service map', 'Service map');
      const names = page.locator('.react-flow__node .map-node-name');
      await names.first().waitFor({ timeout: 15_000 });
      expect(await names.allTextContents()).toEqual(expect.arrayContaining(SERVICES));
      // gateway → catalog, gateway → orders, orders → catalog, orders → payments.
      expect(await page.locator('.react-flow__edge').count()).toBeGreaterThanOrEqual(4);
      const gateway = page.locator('.react-flow__node').filter({ has: page.locator('.map-node-name', { hasText: /^gateway$/ }) });
      expect(await gateway.getAttribute('aria-label')).toMatch(/^gateway: [\d.]+k? requests per minute, /);
      await expectNoErrorState();
      await shoot('service-map');
      await page.locator('.react-flow__node').filter({ has: page.locator('.map-node-name', { hasText: /^payments$/ }) }).click();
      await page.getByRole('heading', { level: 1, name: 'Traces' }).waitFor();
      expect(new URL(page.url()).searchParams.get('service')).toBe('payments');
    });

    it('lists the checkouts that reached payments and shows one as a waterfall across the services', async () => {
      // The gateway's only POST is a checkout (its server spans are named by method, as OpenTelemetry's HTTP instrumentation names them).
      const checkouts = page.getByRole('link', { name: /^gateway POST/ });
      await checkouts.first().waitFor({ timeout: 15_000 });
      await expectNoErrorState();
      await shoot('traces');
      // The oldest listed: every service has exported its spans of it by now.
      await checkouts.last().click();
      const waterfall = page.getByRole('region', { name: 'Waterfall' });
      await waterfall.waitFor();
      const spans = await waterfall.getByRole('button').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
      expect(spans[0]).toMatch(/^gateway POST\b/);
      for (const svc of ['orders', 'catalog', 'payments']) expect(spans.some((s) => s.startsWith(`${svc} `)), `a span of ${svc} in ${spans.join(' | ')}`).toBe(true);
      await waterfall.getByRole('button', { name: /^payments / }).first().click();
      const details = page.locator('section.span-details');
      await details.getByRole('heading', { level: 2, name: /^payments · / }).waitFor();
      await details.getByText('Self time').waitFor();
      await expectNoErrorState();
      await shoot('trace');
    });

    it('ranks the catalog\'s database statements in slow queries, each with an example trace', async () => {
      await page.goBack();
      await page.getByRole('heading', { level: 1, name: 'Traces' }).waitFor();
      const slow = page.locator('section[aria-labelledby="slow-queries"]');
      await slow.getByText(/FROM reviews WHERE product_sku = \?/).first().waitFor({ timeout: 10_000 });
      await slow.getByRole('link', { name: 'trace' }).first().click();
      await page.getByRole('region', { name: 'Waterfall' }).getByRole('button', { name: /^catalog / }).first().waitFor();
      await expectNoErrorState();
    });

    it('opens on production\'s busiest service and charts its requests, errors and latency, with points', async () => {
      await openView('Metrics', 'Metrics');
      // It opens on production, on the service the router counted the most requests for (the
      // catalog: the gateway calls it several times per page), not on the first service listed.
      await page.getByRole('button', { name: '15 min' }).click();
      const requestsOf = async (service: string) =>
        (await api<{ values: (number | null)[] }>('GET', `/api/v1/metrics/query?name=RequestCount&stat=Sum&period=1m&since=15m&dim.environment=production&dim.service=${service}`)).values.reduce<number>((n, v) => n + (v ?? 0), 0);
      const counts = await Promise.all(['gateway', 'catalog', 'orders', 'payments'].map(async (svc) => [svc, await requestsOf(svc)] as const));
      const busiest = counts.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
      const combobox = page.getByRole('combobox', { name: 'Service' });
      await waitFor(`production/${busiest} to be selected`, async () => ((await combobox.inputValue()) === `production/${busiest}` ? true : undefined), 10_000, 200);
      await combobox.selectOption('production/gateway');
      for (const panel of ['Requests', 'Errors', 'Latency']) await page.getByRole('img', { name: `${panel} of gateway in production` }).locator('canvas').waitFor({ timeout: 15_000 });
      // The charts draw what the API has: every shopper's request, counted by the router.
      await waitFor(
        'the router to have counted every shopper\'s request',
        async () => {
          const requests = await api<{ values: (number | null)[] }>('GET', '/api/v1/metrics/query?name=RequestCount&stat=Sum&period=15s&since=15m&dim.environment=production&dim.service=gateway');
          return requests.values.reduce<number>((n, v) => n + (v ?? 0), 0) >= answered ? true : undefined;
        },
        15_000,
        500,
      );
      await expectNoErrorState();
      await shoot('metrics');
      await page.getByRole('button', { name: '6 hours' }).click();
      expect(new URL(page.url()).searchParams.get('range')).toBe('6h');
      await page.getByRole('img', { name: 'Latency of gateway in production' }).locator('canvas').waitFor();
    });

    it('runs Logs Insights queries over the services\' logs, and points at a syntax error', async () => {
      await openView('Logs', 'Logs');
      await page.getByRole('button', { name: 'Run query' }).click();
      const results = page.locator('section[aria-labelledby="results-title"]');
      await results.getByRole('heading', { level: 2, name: /^\d+ rows?$/ }).waitFor({ timeout: 15_000 });
      expect(Number((await results.getByRole('heading', { level: 2 }).textContent())!.split(' ')[0])).toBeGreaterThan(20);
      await page.getByRole('img', { name: 'Matching lines over time' }).locator('canvas').waitFor();
      // The streams are the shop's tasks.
      const streams = await results.locator('tbody tr td:nth-child(2)').allTextContents();
      expect(streams.some((s) => s.includes('gateway'))).toBe(true);
      await expectNoErrorState();
      await shoot('logs');

      // AND a stats query counts lines by stream
      await page.getByRole('button', { name: 'Count by stream', exact: true }).click();
      await results.getByRole('columnheader', { name: 'lines' }).waitFor({ timeout: 10_000 });
      const counted = await results.locator('tbody tr td:first-child').allTextContents();
      for (const svc of SERVICES) expect(counted.some((s) => s.includes(svc)), `a stream of ${svc} in ${counted.join(', ')}`).toBe(true);

      // AND a query with a syntax error is answered 400, and the editor points at the offending word
      expectedErrors.push({ status: 400, path: '/api/v1/logs/query' });
      await page.getByRole('textbox', { name: 'Query' }).fill('fields @message\n| stast count(*) by @logStream');
      await page.getByRole('button', { name: 'Run query' }).click();
      const alert = page.locator('#query-error');
      await alert.getByText(/^line 2, col 3: /).waitFor();
      expect(await alert.locator('pre.caret').textContent()).toBe('| stast count(*) by @logStream\n  ^');
      expect(
        await page.getByRole('textbox', { name: 'Query' }).evaluate((el) => {
          // Runs in the page: the element is the textarea.
          const t = el as unknown as { value: string; selectionStart: number };
          return t.value.slice(t.selectionStart, t.selectionStart + 5);
        }),
      ).toBe('stast');
      await shoot('logs-error');
    });

    it("reaches a failed checkout's trace from its log line, and the line from the trace", async () => {
      // GIVEN a checkout that fails (the test card payments declines): orders logs the request with its trace id
      const failed = await fetch(`${ingress.production!}/api/checkout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ productId: 3, quantity: 1, card: '4000 0000 0000 0002' }) });
      expect(failed.status).toBe(402);
      // (once its lines are in: task output is read as it is written, and ingested in batches)
      const query = 'fields @timestamp, @logStream, @message, @traceId\n| filter path = "/orders" and status = 402 and ispresent(@traceId)\n| sort @timestamp desc\n| limit 1';
      await waitFor('orders\' line of the failed checkout', async () => {
        const r = await api<{ rows: unknown[] }>('POST', '/api/v1/logs/query', { query, since: '15m' });
        return r.rows.length > 0 || undefined;
      }, 15_000, 250).catch(async (err: unknown) => {
        const seen = await api<{ rows: unknown[] }>('POST', '/api/v1/logs/query', { query: 'filter path = "/orders" | fields @log, @message, @traceId | sort @timestamp desc | limit 5', since: '15m' });
        throw new Error(`${(err as Error).message}; orders' latest lines: ${JSON.stringify(seen.rows)}`);
      });
      // WHEN the Logs view finds orders' line of it
      await openView('Logs', 'Logs');
      await page.getByRole('textbox', { name: 'Query' }).fill(query);
      await page.getByRole('button', { name: 'Run query' }).click();
      const results = page.locator('section[aria-labelledby="results-title"]');
      const traceLink = results.getByRole('link', { name: /^trace [0-9a-f]{32}$/ });
      await traceLink.waitFor({ timeout: 15_000 });
      const traceId = (await traceLink.textContent())!;
      // THEN its trace id opens the trace, across gateway and orders (once their spans, exported every 500 ms, are in)
      await waitFor('the failed checkout\'s trace', async () => (await api<{ spans: { service: string }[] }>('GET', `/api/v1/traces/${traceId}`).catch(() => undefined))?.spans.some((x) => x.service === 'orders') || undefined, 15_000, 250);
      await traceLink.click();
      await page.getByRole('region', { name: 'Waterfall' }).waitFor();
      expect(new URL(page.url()).searchParams.get('trace')).toBe(traceId);
      const spans = await page.getByRole('region', { name: 'Waterfall' }).getByRole('button').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
      for (const svc of ['gateway', 'orders']) expect(spans.some((x) => x.startsWith(`${svc} `)), `a span of ${svc} in ${spans.join(' | ')}`).toBe(true);
      // AND the trace lists its log lines, the failed request's among them
      const logs = page.locator('section[aria-labelledby="trace-logs"]');
      await logs.getByRole('heading', { level: 2, name: /^Logs of this trace \(\d+\+?\)$/ }).waitFor({ timeout: 10_000 });
      const lines = await logs.locator('td.msg').allTextContents();
      expect(lines.some((l) => l.includes('"path":"/orders"') && l.includes('"status":402')), lines.join('\n')).toBe(true);
      // (The trace's own error box names its failed spans: that is the point here, not an error state.)
      expect(await logs.locator('[role="alert"]').count()).toBe(0);
      await shoot('trace-logs');
      // AND "Open in Logs" runs the same query in the Logs view
      await logs.getByRole('link', { name: 'Open in Logs' }).click();
      await page.getByRole('heading', { level: 1, name: 'Logs' }).waitFor();
      expect(await page.getByRole('textbox', { name: 'Query' }).inputValue()).toContain(`filter @traceId = "${traceId}"`);
      await results.getByRole('heading', { level: 2, name: /^\d+ rows?$/ }).waitFor({ timeout: 15_000 });
      // (the same lines, and any that arrived since: the router's access log comes with its next scrape)
      const again = await results.locator('td.msg').allTextContents();
      expect(again.length).toBeGreaterThanOrEqual(lines.length);
      expect(again.some((l) => l.includes('"path":"/orders"') && l.includes('"status":402')), again.join('\n')).toBe(true);
    });
  });

  it('shows the alarm that fired and the incident it opened, in the event log', async () => {
    const fired = await waitForEvent(cp.events, (e) => e.type === 'alarm.state.changed' && e.subject === 'alarm/staging-4xx' && e.data.newState === 'ALARM', 30_000, 'staging-4xx to fire');
    const opened = await waitForEvent(cp.events, (e) => e.type === 'incident.opened', 10_000, 'an incident');
    expect((await stagingTraffic).byStatus[404]).toBe(8);
    await page.goto(`${cp.url}/events?type=alarm`);
    await page.getByRole('heading', { level: 1, name: 'Events' }).waitFor();
    const alarm = page.locator(`li.event[data-type="alarm.state.changed"]`).filter({ hasText: 'alarm/staging-4xx' }).filter({ has: page.locator(`.event-seq`, { hasText: `#${fired.seq}` }) });
    await alarm.getByRole('button').click();
    await alarm.getByText('"newState": "ALARM"').waitFor();
    await page.getByRole('button', { name: 'incident', exact: true }).click();
    const incident = page.locator('li.event[data-type="incident.opened"]');
    await incident.waitFor();
    expect(await incident.locator('.event-subject').textContent()).toBe(opened.subject);
    await incident.getByRole('button').click();
    await incident.getByText('staging-4xx').first().waitFor();
    await expectNoErrorState();
    await shoot('events-incident');

    // AND the Incidents view lists it, and its page leads from the alarm that fired to the incident
    const id = Number(opened.data.incidentId);
    await openView('Incidents', 'Incidents');
    await page.getByRole('table', { name: 'Open incidents' }).locator(`tr[data-incident="${id}"]`).getByRole('link').click();
    const chain = page.getByRole('list', { name: 'Causal chain' });
    await chain.locator('li[data-kind="alarm"]').getByText('alarm staging-4xx → ALARM').waitFor({ timeout: 10_000 });
    expect(await chain.locator('li').evaluateAll((li) => li.map((l) => l.getAttribute('data-kind')).slice(-2))).toEqual(['alarm', 'incident']);
    expect(await page.locator(`.timeline li.tl-chain[data-seq="${fired.seq}"]`).count()).toBe(1);
    await expectNoErrorState();
    await shoot('incident');
  });

  it('shows the run from main waiting at Approve, with its build log and tests, and approves it with a name and comment', async () => {
    // GIVEN the pipeline built, tested and deployed main's commit to staging, and waits for a person
    const requested = await waitForEvent(cp.events, (e) => e.type === 'pipeline.approval.requested', 150_000, 'the run to wait at Approve');
    const runId = Number(requested.data.runId);
    const run = await api<Run>('GET', `/api/v1/pipeline/runs/${runId}`);
    await openView('Pipelines', 'Pipelines');
    await page.getByRole('heading', { level: 2, name: `Run ${runId}` }).waitFor();
    await expect.poll(stageLabels, { timeout: 10_000 }).toEqual(['Stage Build: Succeeded', 'Stage Test: Succeeded', 'Stage Staging: Succeeded', 'Stage Approve: InProgress', 'Stage Production: Pending']);
    // The run history names the commit and its message.
    const history = page.locator('section[aria-labelledby="run-history"]');
    await history.getByText(short(head)).waitFor();
    await history.getByText('catalog: index reviews by product').waitFor();
    // The unit tests' JUnit report, counted on the test action.
    const total = run.tests?.total ?? 0;
    expect(total).toBeGreaterThan(0);
    await page.getByText(`${total} passed`, { exact: true }).waitFor();
    // The unit tests' Cobertura report: line and branch coverage on the run and on the test action.
    const lines = run.coverage?.lines.percent;
    expect(lines).toBeGreaterThan(0);
    const coverageText = `coverage ${lines!.toFixed(1)} % lines · ${run.coverage!.branches.percent!.toFixed(1)} % branches`;
    await expect.poll(() => page.getByText(coverageText, { exact: true }).count(), { timeout: 10_000 }).toBe(2);
    await history.getByText(`${lines!.toFixed(1)} %`, { exact: true }).first().waitFor();

    // WHEN the build action is opened THEN its log shows the commit it built
    await page.getByRole('button', { name: 'build: Succeeded, show its log' }).click();
    const log = page.getByLabel('Log of build');
    await log.getByText(`build of ${head} done`).waitFor({ timeout: 10_000 });
    await log.getByText('[Container] Running command node --version').waitFor();
    await expectNoErrorState();

    // WHEN a person approves with their name and a comment
    await page.getByRole('button', { name: /^approval: .*, show its log$/ }).click();
    await page.getByLabel('Your name').fill('e2e reviewer');
    await page.getByLabel('Comment').fill('staging looks good');
    await shoot('pipelines');
    await page.getByRole('button', { name: 'Approve', exact: true }).click();

    // THEN the run goes on to production, recording who approved and why
    await waitForEvent(cp.events, (e) => e.type === 'pipeline.approval.approved' && Number(e.data.runId) === runId, 10_000, 'the approval');
    const approved = await api<Run>('GET', `/api/v1/pipeline/runs/${runId}`);
    expect(approved.stages.find((s) => s.name === 'Approve')?.actions[0]?.output).toMatchObject({ approval: 'Approved', by: 'e2e reviewer', comment: 'staging looks good' });
    // Shoppers in production while the canary takes its share.
    canaryTraffic = shopTraffic(ingress.production!, SHOPPERS);
    await expect.poll(stageLabels, { timeout: 10_000 }).toContain('Stage Approve: Succeeded');
  }, 180_000);

  it('shows production\'s canary: the history, the traffic steps, the hook and the controls', async () => {
    // GIVEN the run took main's commit to production
    await waitForEvent(cp.events, (e) => e.type === 'pipeline.run.succeeded' || e.type === 'pipeline.run.failed', 60_000, 'the run to end');
    expect(cp.events.list({ type: 'pipeline.run.succeeded' })).toHaveLength(1);
    // Every shopper's request during the canary was answered, by one revision or the other.
    expect(await canaryTraffic).toEqual(EVERY_SHOPPER_ANSWERED);
    // Main's commit changes the catalog only: the catalog goes out as a canary, the others are recorded unchanged.
    const catalog = await productionDeployment('catalog');
    expect(catalog).toMatchObject({ state: 'Succeeded', fromRevision: short(released), toRevision: short(head) });

    await openView('Deployments', 'Deployments');
    // Every deployment of the run: four services in each environment, three of them unchanged.
    const rows = page.locator('section[aria-labelledby="dep-history"] tbody tr');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(8);
    const row = rows.filter({ has: page.getByRole('link', { name: String(catalog!.id), exact: true }) });
    expect(await row.locator('td').allTextContents()).toEqual(expect.arrayContaining(['production', 'catalog', `${short(released)} → ${short(head)}`, 'Canary', 'Succeeded']));
    // The traffic split of production's catalog over time, from its traffic events.
    await page.getByRole('combobox', { name: 'Service' }).selectOption('production/catalog');
    await page.getByRole('img', { name: 'Traffic split of production/catalog over time' }).locator('canvas').waitFor();
    await expectNoErrorState();
    await shoot('deployments');

    // WHEN the catalog's deployment is opened
    await row.getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: `Deployment ${catalog!.id}` }).waitFor();
    const facts = page.locator('dl.facts');
    await facts.getByText('production', { exact: true }).waitFor();
    await facts.getByText('catalog', { exact: true }).waitFor();
    await facts.getByText(`${short(released)} → ${short(head)}`).waitFor();
    // THEN its plan, step by step, every step done
    const steps = page.locator('section[aria-labelledby="dep-steps"] li.step');
    expect(await steps.locator('.step-name').allTextContents()).toEqual([
      'Start 1 task(s) of the new revision',
      'Hook BeforeAllowTraffic',
      'Shift 25% to the new revision',
      'Wait 2 s',
      'Shift 100% to the new revision',
      'Stop the old revision',
    ]);
    expect(await steps.locator('.badge').allTextContents()).toEqual(Array(6).fill('Succeeded'));
    // AND the hook that ran before traffic, with its outcome
    const hook = page.locator('section[aria-labelledby="dep-hooks"] li.step');
    expect(await hook.locator('.step-name').allTextContents()).toEqual(['BeforeAllowTraffic']);
    expect(await hook.locator('.badge').allTextContents()).toEqual(['Succeeded']);
    await hook.getByText('exited 0').waitFor();
    // AND the traffic split chart, and controls fit for a finished deployment
    await page.getByRole('img', { name: `Traffic split of deployment ${catalog!.id}` }).locator('canvas').waitFor();
    expect(await page.getByRole('button', { name: 'Promote' }).isEnabled()).toBe(false);
    expect(await page.getByRole('button', { name: 'Roll back' }).isEnabled()).toBe(true);
    await expectNoErrorState();
    await shoot('deployment');
  }, 90_000);

  it('shows the release on the overview: main\'s commit where it changed something, DORA with the production deployment', async () => {
    await openView('Overview', 'shop');
    for (const env of ENVIRONMENTS) {
      for (const svc of SERVICES) {
        const row = page.locator(`tr[data-service="${env}/${svc}"]`);
        await expect.poll(() => row.getAttribute('data-health'), { timeout: 10_000 }).toBe('Healthy');
        // A revision per service: only the catalog, which main's commit changed, runs it.
        const revision = svc === 'catalog' ? head : released;
        expect(await row.getByRole('img', { name: /^Traffic of / }).getAttribute('aria-label')).toBe(`Traffic of ${svc} in ${env}: ${short(revision)} 100%`);
      }
    }
    // The tiles show the 30-day window.
    const dora = await api<{ windows: { window: string; overall: { deploymentFrequency: { perDay: number | null; band: string | null; deploymentIds: string[] } } }[] }>('GET', '/api/v1/dora');
    const month = dora.windows.find((w) => w.window === '30d')!.overall.deploymentFrequency;
    // The unchanged deployments deliver nothing and are not counted.
    expect(month.deploymentIds).toHaveLength(1);
    expect(month.perDay).toBeGreaterThan(0);
    const tiles = page.getByRole('region', { name: 'DORA metrics' });
    await tiles.waitFor();
    const frequency = tiles.locator('.tile').filter({ hasText: 'Deployment frequency' });
    expect(await frequency.locator('.tile-value').textContent()).toMatch(/^[\d.]+\/day$/);
    expect(await frequency.locator('.badge').textContent()).toBe(month.band);
    expect(await tiles.locator('.tile').filter({ hasText: 'Lead time for changes' }).locator('.tile-value').textContent()).not.toBe('—');
    await expectNoErrorState();
    await shoot('overview-released');
  });

  it('shows each alarm on the rows of the service and environments it watches', async () => {
    // gateway-5xx watches the gateway everywhere; staging-4xx only in staging.
    const watched: Record<string, string[]> = { 'staging/gateway': ['gateway-5xx', 'staging-4xx'], 'production/gateway': ['gateway-5xx'] };
    await page.getByRole('heading', { level: 1, name: 'shop' }).waitFor();
    for (const env of ENVIRONMENTS) {
      for (const svc of SERVICES) {
        const cell = page.locator(`tr[data-service="${env}/${svc}"] td`).last();
        const names = (await cell.locator('.badge').evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''))).map((t) => t.split(':')[0]);
        expect(names, `alarms on ${env}/${svc}`).toEqual(watched[`${env}/${svc}`] ?? []);
      }
    }
  });

  it("draws the app's declared dashboards, each widget with its title and real data", async () => {
    await openView('Dashboards', 'Dashboards');
    for (const title of ['Healthy gateway hosts', 'Latest lines', 'Runbook']) await page.getByRole('heading', { level: 2, name: title }).waitFor();
    await page.getByText('Roll back first, then look.').waitFor();
    // The router publishes HealthyHostCount every few seconds; the widget reads again every 15 s until it has points.
    await page.getByRole('region', { name: 'Healthy gateway hosts' }).locator('canvas').first().waitFor({ timeout: 45_000 });
    await page.getByRole('region', { name: 'Latest lines' }).locator('table tbody tr').first().waitFor({ timeout: 45_000 });
    await shoot('dashboards');
  }, 120_000);

  it('fits a narrow screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${cp.url}/`);
    await expect.poll(() => page.locator('tr[data-health="Healthy"]').count(), { timeout: 15_000 }).toBe(8);
    const overflow: number = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await shoot('overview-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('logged no console errors', () => {
    expect(consoleErrors).toEqual([]);
    expect(expectedErrors).toEqual([]);
  });
});
