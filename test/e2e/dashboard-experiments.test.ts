import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateStoredFlag } from '../../src/flags/index.js';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import type { ExperimentDetailDto, ExperimentListDto, FlagDetailDto } from '../../src/shared/index.js';
import { controlPlaneApi } from '../support/api.js';
import { buildDashboard, CHROMIUM_PATH, hasChromium, launchChromium } from '../support/browser.js';
import { tempDir, waitFor } from '../support/temp-dir.js';
import { prng } from '../support/prng.js';

// The experiments view against a real control plane: seeded traffic is posted as OTLP/JSON spans to
// its real receiver (as test/integration/experiments.test.ts does, each request span carrying the flag
// evaluation the provider records), the engine judges it, and the pages must show the numbers the API
// answers, the difference's interval as a chart, and stop an experiment.

const SCREENSHOTS = path.resolve(import.meta.dirname, 'screenshots');
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');

const browserMissing = !hasChromium();
if (browserMissing && process.env.CI) throw new Error(`the browser tests need chromium at ${CHROMIUM_PATH}, and CI must have it`);
if (browserMissing) console.warn(`dashboard experiments browser tests skipped: no chromium at ${CHROMIUM_PATH}`);

function writeConfig(dir: string): string {
  const health = { path: '/healthz', interval: '1s', timeout: '900ms', healthyThreshold: 1, unhealthyThreshold: 5, gracePeriod: '5s' };
  const conversion = { kind: 'conversion', exposure: { span: 'cart.viewed' }, conversion: { span: 'checkout.completed' } };
  const config = {
    name: 'experimented',
    services: { checkout: { path: FIXTURES, start: 'node flags-service.mjs', health, ingress: { pathPrefix: '/' } } },
    environments: { production: { ingressPort: 0 } },
    flags: {
      newCheckout: { default: false, rules: [{ percentage: 50, value: true }] },
      smallCheckout: { default: false, rules: [{ percentage: 50, value: true }] },
      riskyCheckout: { default: false, rules: [{ percentage: 50, value: true }] },
    },
    experiments: {
      'new-checkout': {
        flag: 'newCheckout',
        control: false,
        primary: conversion,
        minSamplePerVariant: 200,
        guardrails: { errors: { kind: 'errorRate', maxPercent: 5 }, slow: { kind: 'latency', max: '2s' } },
      },
      'small-checkout': { flag: 'smallCheckout', control: false, primary: conversion, minSamplePerVariant: 500 },
      'risky-checkout': { flag: 'riskyCheckout', control: false, primary: conversion, minSamplePerVariant: 100, guardrails: { errors: { kind: 'errorRate', maxPercent: 5 } } },
    },
  };
  const file = path.join(dir, 'slipway.config.json');
  fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}


const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
let spanSeq = 1;
let traceSeq = 1;

describe.skipIf(browserMissing)('experiments in the dashboard, in a real browser against a real control plane', () => {
  let tmp: { path: string; cleanup: () => void };
  let cp: ControlPlane;
  let close: (() => Promise<void>) | undefined;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  const dialogs: string[] = [];
  const api = controlPlaneApi(() => cp);

  /**
   * One request per user viewing the cart and, when they convert, one checking out; the request span
   * carries the `feature_flag.evaluation` event of the variant the flag's real buckets serve that user.
   */
  async function sendTraffic(flag: string, users: number, seed: number, rate: (treatment: boolean) => number, baseMs: number, errorRate: (treatment: boolean) => number = () => 0): Promise<void> {
    const random = prng(seed);
    const stored = cp.flags.store.get('production', flag);
    const spans: unknown[] = [];
    const request = (user: string, route: string, child: string, atMs: number, treatment: boolean, variant: string, failed = false) => {
      const traceId = hex(traceSeq++, 32);
      const root = hex(spanSeq++, 16);
      const evaluation = { timeUnixNano: `${atMs * 1e6}`, name: 'feature_flag.evaluation', attributes: [str('feature_flag.key', flag), str('feature_flag.result.variant', variant), { key: 'feature_flag.result.value', value: { boolValue: treatment } }] };
      spans.push(
        { traceId, spanId: root, name: route, kind: 2, startTimeUnixNano: `${atMs * 1e6}`, endTimeUnixNano: `${(atMs + 30) * 1e6}`, attributes: [str('enduser.id', user)], events: [evaluation], status: failed ? { code: 2 } : {} },
        { traceId, spanId: hex(spanSeq++, 16), parentSpanId: root, name: child, kind: 1, startTimeUnixNano: `${(atMs + 5) * 1e6}`, endTimeUnixNano: `${(atMs + 6) * 1e6}`, attributes: [], events: [] },
      );
    };
    for (let i = 0; i < users; i++) {
      const user = `${flag}-user-${i}`;
      const r = evaluateStoredFlag('production', flag, stored, { targetingKey: user });
      if (!r.ok) throw new Error(r.errorDetails);
      const treatment = r.value === true;
      request(user, 'GET /cart', 'cart.viewed', baseMs + i, treatment, r.variant, random() < errorRate(treatment));
      if (random() < rate(treatment)) request(user, 'POST /checkout', 'checkout.completed', baseMs + i + 0.5, treatment, r.variant);
    }
    const otlp = `http://127.0.0.1:${cp.ports.otlp ?? 0}`;
    for (let i = 0; i < spans.length; i += 2000) {
      const body = { resourceSpans: [{ resource: { attributes: [str('service.name', 'checkout')] }, scopeSpans: [{ spans: spans.slice(i, i + 2000) }] }] };
      const res = await fetch(`${otlp}/v1/traces`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', 'x-slipway-ingest-key': cp.telemetry.ingestKeys().appKey } });
      expect(res.status).toBe(200);
    }
    await cp.telemetry.forceFlush();
  }

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    tmp = tempDir('slipway-e2e-experiments-');
    await buildDashboard();
    // The loop would evaluate while the traffic is being posted and conclude on part of it; the test evaluates once, after.
    cp = await startControlPlane({ dataDir: path.join(tmp.path, 'data'), port: 0, configFile: writeConfig(tmp.path), drainMs: 100, xrayPort: null, experimentIntervalMs: 3_600_000 });

    // GIVEN 1 000 users where the treatment converts 20 % against 10 %, and 100 on a flag that needs 500 per variant
    const started = await waitFor('the experiments to start', async () => {
      const list = await api<ExperimentListDto>('GET', '/api/v1/experiments');
      return list.experiments.length === 3 ? Math.max(...list.experiments.map((e) => Date.parse(e.startedAt))) : undefined;
    }, 20_000, 200);
    await sendTraffic('newCheckout', 1000, 2, (b) => (b ? 0.2 : 0.1), started + 10);
    await sendTraffic('smallCheckout', 100, 3, () => 0.15, started + 10);
    // (and 400 of a third whose treatment fails a fifth of its requests)
    await sendTraffic('riskyCheckout', 400, 4, () => 0.15, started + 10, (b) => (b ? 0.2 : 0));
    // Spans are readable a moment after the receiver's 200: evaluate once all of them are.
    const exposures = async (name: string) => (await api<ExperimentDetailDto>('GET', `/api/v1/experiments/production/${name}`)).result.variants.reduce((n, v) => n + v.exposures, 0);
    await waitFor('the seeded spans to be readable', async () => ((await exposures('new-checkout')) === 1000 && (await exposures('small-checkout')) === 100 && (await exposures('risky-checkout')) === 400 ? true : undefined), 20_000, 200);
    cp.experiments!.tick();

    const browser = await launchChromium();
    close = browser.close;
    context = browser.context;
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (err) => pageErrors.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(`${msg.text()} (${msg.location().url})`);
    });
    // Stop asks for a confirmation; the test accepts and keeps what was asked.
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

  it('lists experiments, shows one\'s numbers and interval as the API answers them, and stops one', async () => {
    const detail = await api<ExperimentDetailDto>('GET', '/api/v1/experiments/production/new-checkout');
    const [control, treatment] = detail.result.variants;
    expect([detail.state, detail.result.verdict, detail.result.winner, control!.variant, treatment!.variant]).toEqual(['Concluded', 'Better', 'true', 'false', 'true']);
    // (every seeded user was attributed to the variant its bucket served; the other flag's spans are not this experiment's)
    expect(control!.exposures + treatment!.exposures).toBe(1000);
    const c = treatment!.comparison!;
    expect(c.ci[0]).toBeGreaterThan(0);

    // WHEN the experiments view is opened from the navigation THEN each experiment is a row with flag, state, verdict, metric and exposures
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Experiments', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Experiments' }).waitFor();
    const table = page.getByRole('table', { name: 'Experiments in production' });
    const row = table.locator('tr[data-experiment="production/new-checkout"]');
    await row.waitFor({ timeout: 10_000 });
    await expect.poll(() => row.locator('td[data-exposures]').textContent(), { timeout: 10_000 }).toBe(String(control!.exposures + treatment!.exposures));
    expect((await row.locator('td').allTextContents()).slice(0, 4)).toEqual(['newCheckout', 'Concluded', 'Better true', 'conversion: span cart.viewed → span checkout.completed']);
    const small = table.locator('tr[data-experiment="production/small-checkout"]');
    expect((await small.locator('td').allTextContents()).slice(0, 3)).toEqual(['smallCheckout', 'Running', 'Inconclusive']);
    await expect.poll(() => small.locator('td[data-exposures]').textContent(), { timeout: 10_000 }).toBe('100');

    // WHEN one is opened THEN each variant shows the API's exposures, conversions, rate, difference, interval and p
    await row.getByRole('link', { name: 'new-checkout' }).click();
    await page.getByRole('heading', { level: 1, name: 'Experiment new-checkout' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/experiments/production/new-checkout');
    const variants = page.getByRole('table', { name: 'Variants' });
    await variants.locator('tr[data-variant="true"]').waitFor();
    const num = (text: string | null): number => Number((text ?? '').replace('−', '-').replace(/[^\d.eE+-]/g, ''));
    for (const v of [control!, treatment!]) {
      const tr = variants.locator(`tr[data-variant="${v.variant}"]`);
      expect(await tr.locator('[data-col="exposures"]').textContent()).toBe(String(v.exposures));
      expect(await tr.locator('[data-col="conversions"]').textContent()).toBe(String(v.conversions));
      expect(num(await tr.locator('[data-col="value"]').textContent())).toBeCloseTo(v.value! * 100, 2);
    }
    const t = variants.locator('tr[data-variant="true"]');
    expect(num(await t.locator('[data-col="difference"]').textContent())).toBeCloseTo(c.difference * 100, 2);
    const [lo, hi] = (await t.locator('[data-col="ci"]').textContent())!.split(' to ').map(num);
    expect(lo).toBeCloseTo(c.ci[0] * 100, 2);
    expect(hi).toBeCloseTo(c.ci[1] * 100, 2);
    expect(num(await t.locator('[data-col="p"]').textContent()) / c.pValue).toBeCloseTo(1, 1);
    expect(await t.locator('[data-col="verdict"]').textContent()).toBe('Better');
    const facts = page.getByRole('region', { name: 'Experiment facts' });
    expect(await facts.locator('[data-fact="verdict"]').textContent()).toBe('Better');
    expect(await facts.locator('[data-fact="winner"]').textContent()).toBe('true');
    expect(await facts.locator('[data-fact="state"]').textContent()).toBe('Concluded');
    expect(await facts.getByRole('progressbar', { name: 'Progress toward the minimum sample' }).getAttribute('aria-valuenow')).toBe('100');
    expect(await page.locator('[data-summary]').textContent()).toContain(detail.result.summary);

    // AND the interval is drawn clear of the zero line, to its right, at the API's bounds
    const chart = page.getByRole('img', { name: 'Difference from false with its 95 % confidence interval' });
    const interval = chart.locator('g[data-variant="true"] line');
    expect([Number(await interval.getAttribute('data-ci-lo')), Number(await interval.getAttribute('data-ci-hi'))]).toEqual([c.ci[0], c.ci[1]]);
    const zeroBox = (await chart.locator('line[data-zero]').boundingBox())!;
    const ciBox = (await interval.boundingBox())!;
    expect(ciBox.width).toBeGreaterThan(10);
    expect(ciBox.x).toBeGreaterThan(zeroBox.x + zeroBox.width);

    // AND each guardrail shows its limit and every variant's value
    const guardrails = page.getByRole('table', { name: 'Guardrails' });
    for (const g of detail.result.guardrails) {
      const tr = guardrails.locator(`tr[data-guardrail="${g.name}"]`);
      expect(await tr.locator('[data-col="limit"]').textContent()).toBe(g.kind === 'errorRate' ? '5.00 %' : '2.0 s');
      for (const v of g.variants) expect(await tr.locator(`[data-variant="${v.variant}"]`).textContent()).toContain(`(${v.samples} spans)`);
      expect(g.breach).toBeUndefined();
    }
    expect(await guardrails.locator('tr[data-guardrail="errors"] [data-variant="true"]').textContent()).toContain('0.00 %');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'experiment-detail.png'), fullPage: true });

    // AND the flag's page links to the experiments on it
    await page.getByRole('region', { name: 'Experiment facts' }).getByRole('link', { name: 'newCheckout' }).click();
    await page.getByRole('heading', { level: 1, name: 'Flag newCheckout' }).waitFor();
    await page.getByRole('list', { name: 'Experiments on this flag' }).getByRole('link', { name: 'new-checkout' }).click();
    await page.getByRole('heading', { level: 1, name: 'Experiment new-checkout' }).waitFor();

    // WHEN the experiment whose treatment fails is opened THEN it was stopped by its guardrail, which shows the breach
    const risky = await api<ExperimentDetailDto>('GET', '/api/v1/experiments/production/risky-checkout');
    const breach = risky.result.guardrails.find((g) => g.name === 'errors')!;
    expect([risky.state, breach.breach]).toEqual(['Stopped', expect.stringContaining('true')]);
    await page.goto(`${cp.url}/experiments/production/risky-checkout`);
    const riskyErrors = page.getByRole('table', { name: 'Guardrails' }).locator('tr[data-guardrail="errors"]');
    await riskyErrors.waitFor();
    expect(await riskyErrors.locator('td').nth(2).textContent()).toBe(`Failed${breach.breach!}`);
    const failing = breach.variants.find((v) => v.variant === 'true')!;
    expect(await riskyErrors.locator('[data-variant="true"]').textContent()).toBe(`true ${failing.value!.toFixed(2)} % (${failing.samples} spans)`);
    expect(await page.getByRole('region', { name: 'Experiment facts' }).locator('[data-fact="state"]').textContent()).toBe('Stopped');
    expect(await page.getByRole('button', { name: 'Stop', exact: true }).count()).toBe(0);

    // WHEN the running experiment is opened THEN it is Inconclusive, with its progress toward the minimum sample
    const smallDetail = await api<ExperimentDetailDto>('GET', '/api/v1/experiments/production/small-checkout');
    await page.goto(`${cp.url}/experiments/production/small-checkout`);
    await page.getByRole('heading', { level: 1, name: 'Experiment small-checkout' }).waitFor();
    const smallFacts = page.getByRole('region', { name: 'Experiment facts' });
    await smallFacts.waitFor();
    expect(await smallFacts.locator('[data-fact="verdict"]').textContent()).toBe('Inconclusive');
    const least = Math.min(...smallDetail.result.variants.map((v) => v.exposures));
    expect(await smallFacts.getByRole('progressbar').getAttribute('aria-valuenow')).toBe(String(Math.round((least / 500) * 100)));
    for (const v of smallDetail.result.variants) expect(await page.getByRole('table', { name: 'Variants' }).locator(`tr[data-variant="${v.variant}"] [data-col="sample"]`).textContent()).toBe(`${v.exposures}/500`);
    expect(await page.getByText(`No interval yet: ${smallDetail.result.summary}`).count()).toBe(1);

    // WHEN it is stopped from the page (after a confirmation) THEN the API has it Stopped by the dashboard, and its flag serves the control
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await smallFacts.locator('[data-fact="state"]').getByText('Stopped', { exact: true }).waitFor({ timeout: 10_000 });
    expect(dialogs).toEqual(['Stop small-checkout in production? Its flag smallCheckout serves the control (false) to everyone.']);
    const stopped = await api<ExperimentDetailDto>('GET', '/api/v1/experiments/production/small-checkout');
    expect([stopped.state, stopped.reason]).toEqual(['Stopped', 'stopped by dashboard']);
    expect(await page.getByRole('button', { name: 'Stop', exact: true }).count()).toBe(0);
    expect((await api<FlagDetailDto>('GET', '/api/v1/flags/production/smallCheckout')).enabled).toBe(false);
    expect(await page.locator('[role="alert"], .error-box, .error-text').allTextContents()).toEqual([]);

    // AND on a 390 px wide screen neither page scrolls sideways
    await page.setViewportSize({ width: 390, height: 844 });
    for (const url of ['/experiments', '/experiments/production/new-checkout']) {
      await page.goto(`${cp.url}${url}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.locator('.loading').first().waitFor({ state: 'detached' }).catch(() => undefined);
      const overflow: number = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect([url, overflow]).toEqual([url, 0]);
    }
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
