import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import { buildDashboard, hasChromium, launchChromium, serveDashboard, WEB_DIST, CHROMIUM_PATH } from '../support/browser.js';
import { SHOP_DIR, writeShopConfig } from '../support/shop.js';
import { tempDir, waitFor } from '../support/temp-dir.js';
import { serveContracts, type ContractLog } from './dashboard-contracts.js';

const SCREENSHOTS = path.resolve(import.meta.dirname, 'screenshots');
// APIs other contexts are still building: until they land, a 404 for them is expected, and the view shows an empty state.
const PENDING_ROUTES = ['/api/v1/deployments', '/api/v1/alarms', '/api/v1/dora', '/api/v1/pipeline/', '/api/v1/metrics/', '/api/v1/logs/', '/api/v1/traces', '/api/v1/service-map'];

const browserMissing = !hasChromium();
if (browserMissing && process.env.CI) throw new Error(`the browser tests need chromium at ${CHROMIUM_PATH}, and CI must have it`);
if (browserMissing) console.warn(`dashboard browser tests skipped: no chromium at ${CHROMIUM_PATH} (install Debian's chromium; CI fails instead of skipping)`);

interface RuntimeStatus {
  environments: { name: string; services: { name: string; revisions: { revision: string; weightPercent: number; tasks: { state: string }[] }[] }[] }[];
}

describe.skipIf(browserMissing)('the dashboard in a real browser', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  let cp: ControlPlane;
  let base: string;
  let page: Page;
  const consoleErrors: string[] = [];
  const expected404s: string[] = [];

  const api = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${cp.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${cp.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${route} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };
  const tasksHealthy = async (expected: number) => {
    const s = (await cp.runtime!.status()) as unknown as RuntimeStatus;
    const tasks = s.environments.flatMap((e) => e.services.flatMap((svc) => svc.revisions.flatMap((r) => r.tasks)));
    return tasks.length === expected && tasks.every((t) => t.state === 'Healthy') ? s : undefined;
  };
  const shoot = async (name: string) => {
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  };
  const openView = async (label: string, heading: RegExp | string) => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: label, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  };

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await buildDashboard();
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const configFile = writeShopConfig(tmp.path, {
      environments: ['staging', 'production'],
      dashboards: {
        oncall: {
          widgets: [
            { type: 'metric', title: 'Healthy gateway hosts', metric: 'HealthyHostCount', service: 'gateway', environment: 'production', stat: 'Maximum', period: '10s' },
            { type: 'logs', title: 'Latest lines', query: 'fields @timestamp, @message | sort @timestamp desc | limit 5' },
            { type: 'text', title: 'Runbook', markdown: 'Roll back first, then look.' },
          ],
        },
      },
    });
    cp = await startControlPlane({ dataDir: path.join(tmp.path, 'data'), port: 0, configFile, drainMs: 100, token: 'dashboard-test-token-0123456789' });
    cleanups.push(() => cp.close({ stopTasks: true }));
    await waitFor('every task healthy', () => tasksHealthy(8), 30_000);
    // A canary of the gateway in production, given a share of the traffic in two steps: the split bar and the chart have something to show.
    await api('POST', '/api/v1/environments/production/services/gateway/revisions', { revision: 'canary-2', sourceDir: SHOP_DIR });
    await waitFor('the canary healthy', () => tasksHealthy(9), 30_000);
    const first = (await cp.runtime!.status()) as unknown as RuntimeStatus;
    const stable = first.environments.find((e) => e.name === 'production')!.services.find((s) => s.name === 'gateway')!.revisions.find((r) => r.revision !== 'canary-2')!.revision;
    await api('PUT', '/api/v1/environments/production/services/gateway/traffic', { weights: { [stable]: 90, 'canary-2': 10 } });
    await api('PUT', '/api/v1/environments/production/services/gateway/traffic', { weights: { [stable]: 75, 'canary-2': 25 } });

    // Until the control plane serves the dashboard itself, a small server does, in front of the API.
    const own = await fetch(`${cp.url}/`).then((r) => (r.ok && (r.headers.get('content-type') ?? '').includes('text/html') ? r : undefined));
    if (own) base = cp.url;
    else {
      const served = await serveDashboard(WEB_DIST, cp.url);
      cleanups.push(served.close);
      base = served.url;
    }
    const browser = await launchChromium();
    cleanups.push(browser.close);
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('pageerror', (err) => consoleErrors.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const url = msg.location().url;
      if (/status of 404/.test(msg.text()) && PENDING_ROUTES.some((r) => url.includes(r))) expected404s.push(url);
      // The browser logs every non-2xx answer; the query with a syntax error is answered 400 on purpose.
      else if (/status of 400/.test(msg.text()) && url.endsWith('/api/v1/logs/query')) return;
      else consoleErrors.push(`${msg.text()} (${url})`);
    });
    if (base === cp.url) {
      // Log in as a person does: the one-time link `slipway up` prints becomes an HttpOnly session cookie.
      await page.goto(cp.loginUrl());
      await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 15_000 });
      const cookies = await browser.context.cookies(base);
      expect(cookies.find((c) => c.name === 'slipway_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    } else {
      await page.setExtraHTTPHeaders({ authorization: `Bearer ${cp.token}` });
    }
  }, 120_000);

  afterAll(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    if (expected404s.length > 0) console.info(`routes not landed yet (404, shown as empty states): ${[...new Set(expected404s.map((u) => new URL(u).pathname))].join(', ')}`);
  });

  it('shows every service of every environment Healthy, with its traffic split', async () => {
    await page.goto(`${base}/`);
    const rows = page.locator('tr[data-service]');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(8);
    await expect.poll(() => page.locator('tr[data-health="Healthy"]').count(), { timeout: 15_000 }).toBe(8);
    for (const env of ['staging', 'production']) {
      await page.getByRole('heading', { level: 2, name: env }).waitFor();
      for (const svc of ['gateway', 'catalog', 'orders', 'payments']) {
        const row = page.locator(`tr[data-service="${env}/${svc}"]`);
        await expect.poll(() => row.getAttribute('data-health')).toBe('Healthy');
        expect(await row.getByRole('img', { name: new RegExp(`^${svc} task .*: Healthy`) }).count()).toBeGreaterThan(0);
      }
    }
    const split = await page.locator('tr[data-service="production/gateway"]').getByRole('img', { name: /^Traffic of gateway in production/ }).getAttribute('aria-label');
    expect(split).toMatch(/: \S+ 75%, canary-2 25%$/);
    const single = await page.locator('tr[data-service="staging/catalog"]').getByRole('img', { name: /^Traffic of catalog in staging/ }).getAttribute('aria-label');
    expect(single).toMatch(/: \S+ 100%$/);
    await page.getByText('Live', { exact: true }).waitFor();
    await shoot('overview');
  });

  it('shows a new event in the events view as soon as it is appended', async () => {
    await openView('Events', 'Events');
    await page.locator('li.event').first().waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
    expect(await page.locator('li[data-type="custom.test.hello"]').count()).toBe(0);
    await api('POST', '/api/v1/events', { type: 'custom.test.hello', subject: 'x', data: { from: 'the browser test' } });
    const hello = page.locator('li[data-type="custom.test.hello"]');
    await hello.waitFor({ timeout: 5000 });
    expect(await page.locator('li.event').first().getAttribute('data-type')).toBe('custom.test.hello');
    await hello.getByRole('button').click();
    await hello.getByText('the browser test').waitFor();
    await shoot('events');
    // AND a type filter keeps only that prefix
    await page.getByRole('button', { name: 'custom', exact: true }).click();
    await expect.poll(() => page.locator('li.event').count()).toBe(1);
  });

  it('draws the traffic split over time from traffic events', async () => {
    await openView('Deployments', 'Deployments');
    await page.getByRole('combobox', { name: 'Service' }).selectOption('production/gateway');
    await page.getByRole('img', { name: 'Traffic split of production/gateway over time' }).locator('canvas').waitFor();
    await shoot('deployments');
  });

  it('shows an empty state, not an error, for a route that has not landed', async () => {
    await openView('Pipelines', 'Pipelines');
    await page.getByText('No pipeline runs on this server yet').waitFor();
    await shoot('pipelines-not-landed');
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

  describe('views of the APIs being built, against their contracts', () => {
    let contracts: ContractLog;
    beforeAll(async () => {
      contracts = await serveContracts(page);
    });

    it('draws the run as stage boxes, follows a build log, and approves with the CSRF header', async () => {
      await page.goto(`${base}/pipelines`);
      await page.getByRole('list', { name: 'Stages' }).waitFor();
      expect(await page.getByRole('listitem', { name: /^Stage / }).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))).toEqual([
        'Stage Source: Succeeded',
        'Stage Build: Succeeded',
        'Stage Test: Succeeded',
        'Stage Staging: Succeeded',
        'Stage Approve: InProgress',
        'Stage Production: Pending',
      ]);
      await page.getByText('640 passed').waitFor();
      await page.getByRole('button', { name: 'build: Succeeded, show its log' }).click();
      await page.getByRole('region', { name: 'Log of build' }).or(page.getByLabel('Log of build')).getByText('Uploading artifacts').waitFor();
      await page.getByLabel('Comment').fill('staging looks good');
      await shoot('pipelines');
      await page.getByRole('button', { name: 'Approve', exact: true }).click();
      await expect.poll(() => contracts.posts.length).toBe(1);
      expect(contracts.posts[0]).toMatchObject({ url: '/api/v1/pipeline/runs/run-7/approve', body: { comment: 'staging looks good' } });
      expect(contracts.posts[0]!.headers['x-slipway-csrf']).toBe('1');
    });

    it('shows a deployment with its traffic chart, steps, hooks and controls', async () => {
      await openView('Deployments', 'Deployments');
      await page.getByRole('link', { name: 'd-12' }).click();
      await page.getByRole('heading', { level: 1, name: 'Deployment d-12' }).waitFor();
      await page.getByRole('img', { name: 'Traffic split of deployment d-12' }).locator('canvas').waitFor();
      await page.getByText('BeforeAllowTraffic').waitFor();
      expect(await page.getByRole('button', { name: 'Promote' }).isEnabled()).toBe(true);
      expect(await page.getByRole('button', { name: 'Roll back' }).isEnabled()).toBe(false);
      await shoot('deployment');
    });

    it('lays out the service map and opens the traces of a clicked service', async () => {
      await openView('Service map', 'Service map');
      await page.locator('.react-flow__node').first().waitFor();
      expect(await page.locator('.react-flow__node').count()).toBe(5);
      expect(await page.locator('.react-flow__edge').count()).toBe(6);
      await page.locator('.map-node.map-fail').getByText('payments').waitFor();
      await shoot('service-map');
      await page.locator('.react-flow__node').filter({ hasText: 'payments' }).click();
      await page.getByRole('heading', { level: 1, name: 'Traces' }).waitFor();
      expect(new URL(page.url()).searchParams.get('service')).toBe('payments');
    });

    it('shows a trace as a waterfall with span details', async () => {
      await page.getByRole('link', { name: 'gateway POST /api/checkout' }).first().click();
      await page.getByRole('region', { name: 'Waterfall' }).waitFor();
      expect(await page.getByRole('region', { name: 'Waterfall' }).getByRole('button').count()).toBe(6);
      await page.getByRole('button', { name: /^payments POST \/charge/ }).click();
      await page.getByRole('heading', { level: 2, name: 'payments · POST /charge' }).waitFor();
      await shoot('trace');
      await page.goBack();
      await page.getByRole('heading', { level: 2, name: 'Slow queries' }).waitFor();
      await page.getByText('SELECT * FROM products WHERE id = ?').waitFor();
      await shoot('traces');
    });

    it('charts requests, errors and latency of a service', async () => {
      await openView('Metrics', 'Metrics');
      for (const panel of ['Requests', 'Errors', 'Latency']) await page.getByRole('img', { name: new RegExp(`^${panel} of `) }).locator('canvas').waitFor();
      await page.getByRole('button', { name: '6 hours' }).click();
      expect(new URL(page.url()).searchParams.get('range')).toBe('6h');
      await page.getByRole('button', { name: '1 hour' }).click();
      await page.getByRole('img', { name: /^Latency of / }).locator('canvas').waitFor();
      await shoot('metrics');
    });

    it('runs a Logs Insights query, and points at the position of a syntax error', async () => {
      await openView('Logs', 'Logs');
      await page.getByRole('button', { name: 'Run query' }).click();
      await page.getByRole('heading', { level: 2, name: '40 rows' }).waitFor();
      await page.getByRole('img', { name: 'Matching lines over time' }).locator('canvas').waitFor();
      await shoot('logs');
      await page.getByRole('textbox', { name: 'Query' }).fill('fields @message\n| stast count(*) by @logStream');
      await page.getByRole('button', { name: 'Run query' }).click();
      const alert = page.locator('#query-error');
      await alert.getByText('line 2, col 3: expected a command').waitFor();
      expect(await alert.locator('pre.caret').textContent()).toBe('| stast count(*) by @logStream\n  ^');
      // The editor's selection is put on the offending character.
      expect(await page.getByRole('textbox', { name: 'Query' }).evaluate((el) => {
        // Runs in the page: the element is the textarea.
        const t = el as unknown as { value: string; selectionStart: number };
        return t.value.slice(t.selectionStart, t.selectionStart + 5);
      })).toBe('stast');
      await shoot('logs-error');
    });
  });

  it('fits a narrow screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/`);
    await expect.poll(() => page.locator('tr[data-health="Healthy"]').count(), { timeout: 15_000 }).toBe(8);
    const overflow: number = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await shoot('overview-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('logged no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
