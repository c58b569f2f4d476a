import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import type { EventsPageDto, FlagDetailDto } from '../../src/shared/index.js';
import { controlPlaneApi } from '../support/api.js';
import { buildDashboard, CHROMIUM_PATH, hasChromium, launchChromium } from '../support/browser.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

// The flags view against a real control plane: a real service task evaluates flags over OFREP with its
// own flag token, its impressions reach telemetry, and the page lists each environment's flags, shows a
// flag's evaluations per variant and its history, and kills and enables it through the flags API.

const SCREENSHOTS = path.resolve(import.meta.dirname, 'screenshots');
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');

const browserMissing = !hasChromium();
if (browserMissing && process.env.CI) throw new Error(`the browser tests need chromium at ${CHROMIUM_PATH}, and CI must have it`);
if (browserMissing) console.warn(`dashboard flags browser tests skipped: no chromium at ${CHROMIUM_PATH}`);

function writeConfig(dir: string): string {
  const health = { path: '/healthz', interval: '1s', timeout: '900ms', healthyThreshold: 1, unhealthyThreshold: 5, gracePeriod: '5s' };
  const config = {
    name: 'flagged',
    services: { checkout: { path: FIXTURES, start: 'node flags-service.mjs', health, ingress: { pathPrefix: '/' } } },
    environments: { staging: { ingressPort: 0 }, production: { ingressPort: 0 } },
    segments: { paying: { match: { plan: { in: ['pro', 'team'] } } } },
    flags: {
      banner: { default: 'off', description: 'the pro banner', rules: [{ segment: 'paying', value: 'on' }] },
      newCheckout: { default: false, rules: [{ percentage: 10, value: true }], environments: { staging: { rules: [] } } },
    },
  };
  const file = path.join(dir, 'slipway.config.json');
  fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

describe.skipIf(browserMissing)('flags in the dashboard, in a real browser against a real control plane', () => {
  let tmp: { path: string; cleanup: () => void };
  let cp: ControlPlane;
  let close: (() => Promise<void>) | undefined;
  let context: BrowserContext;
  let page: Page;
  let ingress: string;
  const pageErrors: string[] = [];
  const api = controlPlaneApi(() => cp);

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    tmp = tempDir('slipway-e2e-flags-');
    await buildDashboard();
    cp = await startControlPlane({ dataDir: path.join(tmp.path, 'data'), port: 0, configFile: writeConfig(tmp.path), drainMs: 100, otlpPort: null, xrayPort: null });
    const port = (await cp.runtime!.status()).router.listeners.find((l) => l.kind === 'ingress' && l.environment === 'production')!.port;
    ingress = `http://127.0.0.1:${port}`;
    await waitFor('the checkout task to answer through the ingress', async () => ((await fetch(`${ingress}/healthz`).catch(() => undefined))?.status === 200 ? true : undefined), 20_000);

    const browser = await launchChromium();
    close = browser.close;
    context = browser.context;
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (err) => pageErrors.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(`${msg.text()} (${msg.location().url})`);
    });
    // The Kill button asks for a confirmation.
    page.on('dialog', (d) => void d.accept());
    await page.goto(cp.loginUrl());
    await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 15_000 });
  }, 120_000);

  afterAll(async () => {
    await close?.();
    await cp?.close({ stopTasks: true });
    tmp?.cleanup();
  }, 30_000);

  it('lists each environment\'s flags, shows a flag\'s evaluations per variant and history, and kills and enables it', async () => {
    // GIVEN the service evaluated banner 3 times for paying plans and twice for the free one, counted in telemetry
    for (const plan of ['pro', 'team', 'pro', 'free', 'free']) {
      const r = (await (await fetch(`${ingress}/evaluate/banner?plan=${plan}&targetingKey=u-${plan}`)).json()) as { status: number };
      expect(r.status).toBe(200);
    }
    cp.flags.impressions.forceFlush();
    await cp.telemetry.forceFlush();

    // WHEN the flags view is opened THEN each environment lists its flags with state, version, default and rules
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Flags', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Flags' }).waitFor();
    const production = page.getByRole('table', { name: 'Flags in production' });
    const banner = production.locator('tr[data-flag="production/banner"]');
    await banner.waitFor({ timeout: 10_000 });
    expect(await banner.locator('td').allTextContents()).toEqual(['Enabled', '1', '"off"', 'segment paying → "on"', expect.any(String), 'Kill']);
    expect(await production.locator('tr[data-flag="production/newCheckout"] td').nth(3).textContent()).toBe('10 % by targetingKey → true');
    // (staging's override has no rules)
    expect(await page.getByRole('table', { name: 'Flags in staging' }).locator('tr[data-flag="staging/newCheckout"] td').nth(3).textContent()).toBe('none');

    // WHEN a flag is opened THEN its evaluations per variant come from the impressions
    await banner.getByRole('link', { name: 'banner' }).click();
    await page.getByRole('heading', { level: 1, name: 'Flag banner' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/flags/production/banner');
    const evaluations = page.getByRole('table', { name: 'Evaluations per variant' });
    await expect.poll(() => evaluations.locator('tr[data-variant="rule-1"] td[data-count]').textContent(), { timeout: 15_000 }).toBe('3');
    expect(await evaluations.locator('tr[data-variant="default"] td[data-count]').textContent()).toBe('2');
    expect(await evaluations.locator('tr[data-variant="rule-1"] td').allTextContents()).toEqual(['"on"', '3', '60 %']);
    expect(await page.getByRole('list', { name: 'Rules' }).textContent()).toBe('rule-1 segment paying → "on"');
    const versions = page.getByRole('table', { name: 'Versions' });
    expect(await versions.locator('tr[data-version="1"] td').nth(1).textContent()).toBe('Seeded');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'flag-detail.png'), fullPage: true });

    // WHEN it is killed from the page THEN it is disabled, a new version by the dashboard, served as DISABLED
    await page.getByRole('button', { name: 'Kill', exact: true }).click();
    const facts = page.getByRole('region', { name: 'Flag facts' });
    await facts.getByText('Disabled', { exact: true }).waitFor({ timeout: 10_000 });
    await versions.locator('tr[data-version="2"]').waitFor({ timeout: 10_000 });
    expect(await versions.locator('tr[data-version="2"] td').allTextContents()).toEqual(expect.arrayContaining(['2', 'Disabled', 'dashboard']));
    const killed = (await (await fetch(`${ingress}/evaluate/banner?plan=pro&targetingKey=u1`)).json()) as { body: { value: string; reason: string } };
    expect(killed.body).toMatchObject({ value: 'off', reason: 'DISABLED' });

    // AND enabled again
    await page.getByRole('button', { name: 'Enable', exact: true }).click();
    await facts.getByText('Enabled', { exact: true }).waitFor({ timeout: 10_000 });
    await versions.locator('tr[data-version="3"]').waitFor({ timeout: 10_000 });
    const stored = await api<FlagDetailDto>('GET', '/api/v1/flags/production/banner');
    expect(stored).toMatchObject({ version: 3, enabled: true });
    expect(stored.history.map((v) => [v.change, v.actor])).toEqual([['Enabled', 'dashboard'], ['Disabled', 'dashboard'], ['Seeded', 'app-model']]);

    // AND the list shows the new state, and the event log holds both changes
    await page.getByRole('link', { name: '← All flags' }).click();
    await production.locator('tr[data-flag="production/banner"] td').nth(1).getByText('3', { exact: true }).waitFor({ timeout: 10_000 });
    const events = (await api<EventsPageDto>('GET', '/api/v1/events?subject=flag/production/banner&limit=10')).events;
    expect(events.map((e) => (e.data as { change: string }).change)).toEqual(['Seeded', 'Disabled', 'Enabled']);
    expect(await page.locator('[role="alert"], .error-box, .error-text').allTextContents()).toEqual([]);

    // AND on a 390 px wide screen neither page scrolls sideways
    await page.setViewportSize({ width: 390, height: 844 });
    for (const url of ['/flags', '/flags/production/banner']) {
      await page.goto(`${cp.url}${url}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.locator('.loading').first().waitFor({ state: 'detached' }).catch(() => undefined);
      const overflow: number = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect([url, overflow]).toEqual([url, 0]);
    }
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
