import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import type { EventsPageDto, FlagDetailDto, FlagRolloutDto } from '../../src/shared/index.js';
import { controlPlaneApi } from '../support/api.js';
import { buildDashboard, CHROMIUM_PATH, hasChromium, launchChromium } from '../support/browser.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

// Flag rollouts on the flag page, against a real control plane: a rollout started through the API
// appears live with its steps and share, ends live, and a second one (long bake times) is paused,
// resumed and aborted from the page, each reflected by the API and the event log; a third is
// promoted, and a fourth is reverted by the environment's real rollbackOn alarm.

const SCREENSHOTS = path.resolve(import.meta.dirname, 'screenshots');
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');
const ALARM = 'checkout-4xx';

const browserMissing = !hasChromium();
if (browserMissing && process.env.CI) throw new Error(`the browser tests need chromium at ${CHROMIUM_PATH}, and CI must have it`);
if (browserMissing) console.warn(`dashboard flag rollout browser tests skipped: no chromium at ${CHROMIUM_PATH}`);

function writeConfig(dir: string): string {
  const health = { path: '/healthz', interval: '1s', timeout: '900ms', healthyThreshold: 1, unhealthyThreshold: 5, gracePeriod: '5s' };
  const config = {
    name: 'rolled',
    services: { checkout: { path: FIXTURES, start: 'node flags-service.mjs', health, ingress: { pathPrefix: '/' } } },
    environments: { production: { ingressPort: 0, rollbackOn: [ALARM] } },
    // Requests for pages the service does not have trip it; nothing else asks for one.
    alarms: { [ALARM]: { metric: 'HTTPCode_Target_4XX_Count', service: 'checkout', environment: 'production', stat: 'Sum', period: '5s', threshold: 2, evaluationPeriods: 1, treatMissingData: 'notBreaching' } },
    flags: { newCheckout: { default: false, description: 'the new checkout' } },
  };
  const file = path.join(dir, 'slipway.config.json');
  fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

describe.skipIf(browserMissing)('flag rollouts in the dashboard, in a real browser against a real control plane', () => {
  let tmp: { path: string; cleanup: () => void };
  let cp: ControlPlane;
  let close: (() => Promise<void>) | undefined;
  let context: BrowserContext;
  let page: Page;
  let ingress: string;
  const pageErrors: string[] = [];
  const dialogs: string[] = [];
  const api = controlPlaneApi(() => cp);

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    tmp = tempDir('slipway-e2e-flag-rollouts-');
    await buildDashboard();
    cp = await startControlPlane({ dataDir: path.join(tmp.path, 'data'), port: 0, configFile: writeConfig(tmp.path), drainMs: 100, otlpPort: null, xrayPort: null, routerMetricsIntervalMs: 500 });
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
    // Promote and Abort ask for a confirmation; the test accepts and keeps what was asked.
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.accept();
    });
    await page.goto(cp.loginUrl());
    await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 15_000 });
  }, 120_000);

  afterAll(async () => {
    await close?.();
    await cp?.close({ stopTasks: true });
    tmp?.cleanup();
  }, 30_000);

  it('shows a rollout live with its steps; pauses, resumes, aborts and promotes from the flag page; shows an alarm\'s revert', async () => {
    // GIVEN the flag page is open, with no rollout yet
    await page.goto(`${cp.url}/flags/production/newCheckout`);
    await page.getByRole('heading', { level: 1, name: 'Flag newCheckout' }).waitFor();
    await page.getByRole('region', { name: 'Flag facts' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Rollout in progress' }).count()).toBe(0);

    // WHEN a short canary rollout is started through the API THEN the page shows it under way, live
    const first = await api<FlagRolloutDto>('POST', '/api/v1/flags/production/newCheckout/rollouts', { definition: { default: true }, strategy: { type: 'canary', steps: [20, 100], interval: '3s' }, by: 'ana' });
    expect([first.state, first.percent]).toEqual(['InProgress', 20]);
    const card = page.locator(`section[data-rollout="${first.id}"]`);
    await card.getByRole('heading', { name: 'Rollout in progress' }).waitFor({ timeout: 10_000 });
    expect(await card.locator('[data-served-percent]').textContent()).toBe('20 %');
    // AND it ends on its own, which the page hears of without a reload
    await card.getByRole('heading', { name: 'Last rollout' }).waitFor({ timeout: 15_000 });
    expect(await card.getByText('Succeeded', { exact: true }).count()).toBe(1);
    expect(await card.locator('[data-served-percent]').textContent()).toBe('100 %');
    expect((await api<FlagRolloutDto>('GET', `/api/v1/flag-rollouts/${first.id}`)).toVersion).toBe(2);

    // WHEN a second rollout with long bake times is started by ana
    const second = await api<FlagRolloutDto>('POST', '/api/v1/flags/production/newCheckout/rollouts', {
      definition: { default: false, rules: [{ percentage: 10, value: true }] },
      strategy: { type: 'canary', steps: [5, 25, 50, 100], interval: '10m' },
      by: 'ana',
    });
    // THEN the page shows its state, share, steps (the first highlighted), next step and who started it
    const live = page.locator(`section[data-rollout="${second.id}"]`);
    await live.getByRole('heading', { name: 'Rollout in progress' }).waitFor({ timeout: 10_000 });
    expect(await live.locator('[data-served-percent]').textContent()).toBe('5 %');
    expect(await live.locator('[data-actor]').textContent()).toBe('ana');
    expect(await live.locator('[data-next-step]').textContent()).toMatch(/\(in (9 m \d\d s|10 m 00 s)\)$/);
    const steps = live.getByRole('list', { name: 'Rollout steps' }).locator('li');
    expect((await steps.locator('.rollout-step-percent').allTextContents())).toEqual(['5 %', '25 %', '50 %', '100 %']);
    expect(await live.locator('li[aria-current="step"] .rollout-step-percent').textContent()).toBe('5 %');
    // AND the first rollout is in the history, with how it ended
    const history = page.getByRole('table', { name: 'Earlier rollouts' });
    expect(await history.locator(`tr[data-rollout="${first.id}"] td`).allTextContents()).toEqual([String(first.id), 'Succeeded', '20 → 100 %', 'written as version 2', 'ana', expect.any(String), expect.any(String)]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'flag-rollout.png'), fullPage: true });

    // AND the flags list marks the flag as in rollout
    await page.getByRole('link', { name: '← All flags' }).click();
    const row = page.getByRole('table', { name: 'Flags in production' }).locator('tr[data-flag="production/newCheckout"]');
    await row.locator(`[data-in-rollout="${second.id}"]`).waitFor({ timeout: 10_000 });
    expect(await row.locator(`[data-in-rollout="${second.id}"]`).textContent()).toBe('in rollout 5 %');
    await row.getByRole('link', { name: 'newCheckout' }).click();
    await live.getByRole('heading', { name: 'Rollout in progress' }).waitFor({ timeout: 10_000 });

    // WHEN it is paused from the page THEN the API has it Paused, and the page offers Resume
    await live.getByRole('button', { name: 'Pause', exact: true }).click();
    await live.getByRole('button', { name: 'Resume', exact: true }).waitFor({ timeout: 10_000 });
    expect((await api<FlagRolloutDto>('GET', `/api/v1/flag-rollouts/${second.id}`)).state).toBe('Paused');
    expect(await live.locator('[data-next-step]').textContent()).toBe('—');

    // WHEN resumed THEN it is under way again at the same step
    await live.getByRole('button', { name: 'Resume', exact: true }).click();
    await live.getByRole('button', { name: 'Pause', exact: true }).waitFor({ timeout: 10_000 });
    expect(await api<FlagRolloutDto>('GET', `/api/v1/flag-rollouts/${second.id}`)).toMatchObject({ state: 'InProgress', stepIndex: 0, percent: 5 });

    // WHEN aborted (after a confirmation) THEN it is Stopped, nothing served its definition, and it says why
    await live.getByRole('button', { name: 'Abort', exact: true }).click();
    await live.getByRole('heading', { name: 'Last rollout' }).waitFor({ timeout: 10_000 });
    expect(dialogs).toEqual([`Abort rollout ${second.id} of newCheckout in production? Everyone gets version 2 again.`]);
    const aborted = await api<FlagRolloutDto>('GET', `/api/v1/flag-rollouts/${second.id}`);
    expect([aborted.state, aborted.percent, aborted.rollback?.trigger, aborted.rollback?.reason]).toEqual(['Stopped', 0, 'abort', 'aborted by dashboard']);
    expect(await live.getByText('aborted by dashboard', { exact: true }).count()).toBe(1);
    expect(await live.getByRole('button', { name: 'Abort', exact: true }).count()).toBe(0);
    const flag = await api<FlagDetailDto>('GET', '/api/v1/flags/production/newCheckout');
    expect([flag.version, flag.rollout, flag.definition.default]).toEqual([2, undefined, true]);

    // WHEN a third is promoted from the page (after a confirmation) THEN it succeeds at once, as version 3
    const third = await api<FlagRolloutDto>('POST', '/api/v1/flags/production/newCheckout/rollouts', { definition: { default: false }, strategy: { type: 'canary', steps: [5, 25, 50, 100], interval: '10m' }, by: 'ana' });
    const promoted = page.locator(`section[data-rollout="${third.id}"]`);
    await promoted.getByRole('button', { name: 'Promote', exact: true }).click();
    await promoted.getByRole('heading', { name: 'Last rollout' }).waitFor({ timeout: 10_000 });
    expect(dialogs.at(-1)).toBe(`Promote rollout ${third.id} of newCheckout in production? Everyone gets the new definition at once.`);
    expect(await api<FlagRolloutDto>('GET', `/api/v1/flag-rollouts/${third.id}`)).toMatchObject({ state: 'Succeeded', percent: 100, toVersion: 3 });

    // WHEN a fourth is under way and the environment's rollbackOn alarm fires THEN the page shows it rolled back by that alarm, live
    const fourth = await api<FlagRolloutDto>('POST', '/api/v1/flags/production/newCheckout/rollouts', { definition: { default: true }, strategy: { type: 'canary', steps: [5, 25, 50, 100], interval: '10m' }, by: 'ana' });
    const reverted = page.locator(`section[data-rollout="${fourth.id}"]`);
    await reverted.getByRole('heading', { name: 'Rollout in progress' }).waitFor({ timeout: 10_000 });
    for (let i = 0; i < 5; i++) expect((await fetch(`${ingress}/missing-page`)).status).toBe(404);
    await reverted.getByRole('heading', { name: 'Last rollout' }).waitFor({ timeout: 30_000 });
    const rolledBack = await api<FlagRolloutDto>('GET', `/api/v1/flag-rollouts/${fourth.id}`);
    expect([rolledBack.state, rolledBack.rollback?.trigger, rolledBack.rollback?.alarms]).toEqual(['RolledBack', 'alarm', [ALARM]]);
    expect(await reverted.getByText(`rolled back by alarm ${ALARM} in `).count()).toBe(1);
    // AND the earlier ones are listed newest first with how each ended
    const ended = page.getByRole('table', { name: 'Earlier rollouts' });
    expect(await ended.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [r.children[0]?.textContent, r.children[1]?.textContent, r.children[3]?.textContent]))).toEqual([
      [String(third.id), 'Succeeded', 'written as version 3'],
      [String(second.id), 'Stopped', 'aborted by dashboard'],
      [String(first.id), 'Succeeded', 'written as version 2'],
    ]);

    // AND the event log holds each command, by the dashboard (the rollout stays ana's)
    const events = (await api<EventsPageDto>('GET', `/api/v1/events?subject=flag-rollout/${second.id}&limit=20`)).events;
    expect(events.map((e) => [e.type, (e.data as { actor: string }).actor, (e.data as { reason: string | null }).reason])).toEqual([
      ['flag.rollout.started', 'ana', 'requested by ana'],
      ['flag.rollout.paused', 'ana', 'paused by dashboard'],
      ['flag.rollout.resumed', 'ana', 'resumed by dashboard'],
      ['flag.rollout.rolled_back', 'ana', 'aborted by dashboard'],
    ]);
    expect(dialogs).toHaveLength(2);
    expect(await page.locator('[role="alert"], .error-box, .error-text').allTextContents()).toEqual([]);

    // AND on a 390 px wide screen neither page scrolls sideways
    await page.setViewportSize({ width: 390, height: 844 });
    for (const url of ['/flags', '/flags/production/newCheckout']) {
      await page.goto(`${cp.url}${url}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.locator('.loading').first().waitFor({ state: 'detached' }).catch(() => undefined);
      const overflow: number = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect([url, overflow]).toEqual([url, 0]);
    }
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
