import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard, CHROMIUM_PATH, hasChromium, launchChromium } from '../support/browser.js';
import { assertPortFree, outputLine, slipway, startSlipway } from '../support/cli.js';

// The main job, as a person sees it: `slipway demo` takes the example shop from
// commit to production; in the dashboard they approve it, see it healthy, its
// service map, a trace and its logs; then a bad commit's canary fails, the
// deployments roll back and an incident opens.

const REPO = path.resolve(import.meta.dirname, '../..');
const SCREENSHOTS = path.resolve(import.meta.dirname, 'screenshots');
// The shop's ingress listens on fixed ports (production 8080, staging 8081).
const INGRESS_PORTS = [8080, 8081];
const SERVICES = ['gateway', 'catalog', 'orders', 'payments'];
// Shoppers' requests per second. The gateway-5xx alarm counts failures (over 5 in a 10 s period), so the bad
// canary's share of failing checkouts must cross it while the canary is still at 25-50 %: at 10/s it may not
// until 100 %, and the deployment succeeds before the alarm fires.
const RATE = '20';

const browserMissing = !hasChromium();
if (browserMissing && process.env.CI) throw new Error(`the browser tests need chromium at ${CHROMIUM_PATH}, and CI must have it`);
if (browserMissing) console.warn(`demo browser test skipped: no chromium at ${CHROMIUM_PATH} (install Debian's chromium; CI fails instead of skipping)`);

interface Run {
  id: number;
  status: string;
  stages: { name: string; status: string; actions: { name: string; output: Record<string, unknown> }[] }[];
}
interface Incident {
  id: number;
  state: string;
  service: string | null;
  environment: string | null;
  deploymentId: number | null;
  alarm: string | null;
}

describe.skipIf(browserMissing)('the demo in a real browser: commit to production, approval, telemetry, a bad commit rolled back', () => {
  // `.slipway/` is git-ignored; the demo must live inside the repository so the shop's services resolve its node_modules.
  // `demo break` is run from `root` with the default-shaped dir `.slipway/demo` under it, so whatever it resolves it to, it is this test's demo.
  const root = path.join(REPO, '.slipway', `e2e-demo-${randomBytes(4).toString('hex')}`);
  const dir = path.join(root, '.slipway', 'demo');
  let demo: ReturnType<typeof startSlipway> | undefined;
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let browser: { context: BrowserContext; close: () => Promise<void> } | undefined;
  let page: Page;
  let base: string;
  let token: string;
  const consoleErrors: string[] = [];

  /** Resolves with the first match of `pattern` in the demo's output after `from` (a character offset), as soon as it is printed. */
  const line = (pattern: RegExp, timeoutMs: number, from = 0): Promise<RegExpExecArray> => outputLine(demo!, pattern, timeoutMs, from);
  const api = async <T>(method: string, route: string): Promise<T> => {
    const res = await fetch(`${base}${route}`, { method, headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`${method} ${route} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };
  const shoot = async (name: string) => {
    await page.screenshot({ path: path.join(SCREENSHOTS, `demo-${name}.png`), fullPage: true });
  };
  const openView = async (label: string, heading: RegExp | string) => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: label, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  };
  const stageLabels = () => page.getByRole('listitem', { name: /^Stage / }).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
  const stop = async () => {
    if (!demo || exit) return;
    demo.child.kill('SIGINT');
    const killed = setTimeout(() => demo?.child.kill('SIGKILL'), 30_000);
    exit = await demo.exited;
    clearTimeout(killed);
  };

  beforeAll(async () => {
    for (const port of INGRESS_PORTS) await assertPortFree(port);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await buildDashboard();
    demo = startSlipway(['demo', '--dir', dir, '--port', '0', '--approve-after', '0', '--rate', RATE], { cwd: REPO });
    browser = await launchChromium();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('pageerror', (err) => consoleErrors.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(`${msg.text()} (${msg.location().url})`);
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stop();
    fs.rmSync(root, { recursive: true, force: true });
  }, 60_000);

  it('waits at Approve for a person, who signs in and approves in the dashboard; production goes live', async () => {
    // GIVEN the first run built, tested and deployed to staging, and waits at Approve (approve-after 0: nobody approves for us)
    await line(/^ {2}▸ Approve$/m, 120_000);
    const server = JSON.parse(fs.readFileSync(path.join(dir, 'data', 'server.json'), 'utf8')) as { url: string };
    base = server.url;
    token = fs.readFileSync(path.join(dir, 'data', 'token'), 'utf8').trim();
    expect(demo!.output.stdout).not.toMatch(/production is live/);

    // WHEN a person signs in with a one-time link (the link `slipway demo` prints comes only once production is live)
    const { url } = await api<{ url: string }>('POST', '/api/v1/session/links');
    expect(url).toMatch(new RegExp(`^${base}/login\\?token=`));
    await page.goto(url);
    await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 15_000 });
    expect((await browser!.context.cookies(base)).find((c) => c.name === 'slipway_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

    // THEN Pipelines shows the run waiting at Approve, everything before it done
    await openView('Pipelines', 'Pipelines');
    await page.getByRole('button', { name: 'Approve', exact: true }).waitFor({ timeout: 15_000 });
    expect(await stageLabels()).toEqual(['Stage Build: Succeeded', 'Stage Test: Succeeded', 'Stage Staging: Succeeded', 'Stage Approve: InProgress', 'Stage Production: Pending']);
    expect(await page.getByRole('button', { name: 'approval: Waiting, show its log' }).count()).toBe(1);
    await page.getByLabel('Your name').fill('e2e reviewer');
    await page.getByLabel('Comment').fill('staging looks good');
    await shoot('pipelines-approval');

    // WHEN they approve
    await page.getByRole('button', { name: 'Approve', exact: true }).click();

    // THEN production goes live and the demo prints the dashboard's one-time login link
    const live = await line(/production is live after (\d+) s[^\n]*\n\s+dashboard\s+(\S+)/, 90_000);
    expect(live[2]).toMatch(new RegExp(`^${base}/login\\?token=[\\w-]+$`));
    const run = await api<Run>('GET', '/api/v1/pipeline/runs/1');
    expect(run.stages.find((s) => s.name === 'Approve')?.actions[0]?.output).toMatchObject({ approval: 'Approved', by: 'e2e reviewer', comment: 'staging looks good' });
  }, 240_000);

  it('shows every service Healthy in both environments', async () => {
    await openView('Overview', 'shop');
    for (const env of ['staging', 'production'])
      for (const svc of SERVICES) await expect.poll(() => page.locator(`tr[data-service="${env}/${svc}"]`).getAttribute('data-health'), { timeout: 20_000 }).toBe('Healthy');
    expect(await page.locator('tr[data-service]').count()).toBe(8);
    await page.getByRole('region', { name: 'DORA metrics' }).waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
    await shoot('overview');
  });

  it('shows the run Succeeded through Production', async () => {
    await openView('Pipelines', 'Pipelines');
    await expect
      .poll(stageLabels, { timeout: 20_000 })
      .toEqual(['Stage Build: Succeeded', 'Stage Test: Succeeded', 'Stage Staging: Succeeded', 'Stage Approve: Succeeded', 'Stage Production: Succeeded']);
    await page.getByRole('table').getByText('Succeeded').first().waitFor();
    // The unit tests' report is counted on the test action.
    await page.getByText(/^\d+ passed$/).first().waitFor();
    await shoot('pipelines');
  });

  it('draws the service map from the shoppers\' traces', async () => {
    await openView('Service map', 'Service map');
    const names = page.locator('.react-flow__node .map-node-name');
    // Traces arrive as the shoppers shop; the map is read on demand.
    await expect
      .poll(
        async () => {
          const seen = await names.allTextContents();
          if (!SERVICES.every((s) => seen.includes(s))) await page.getByRole('button', { name: 'Refresh' }).click();
          return SERVICES.filter((s) => seen.includes(s));
        },
        { timeout: 60_000, interval: 2000 },
      )
      .toEqual(SERVICES);
    expect(await page.locator('.react-flow__edge').count()).toBeGreaterThanOrEqual(3);
    await shoot('service-map');
  }, 90_000);

  it('finds a checkout\'s trace and opens it as a waterfall across the services', async () => {
    await openView('Traces', 'Traces');
    await page.getByRole('link', { name: /^gateway / }).first().waitFor({ timeout: 15_000 });
    // The traces that reached payments: checkouts, entering at the gateway.
    await page.getByRole('search', { name: 'Search traces' }).getByLabel('Service').fill('payments');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL((u) => u.searchParams.get('service') === 'payments');
    const checkouts = page.getByRole('link', { name: /^gateway POST/ });
    await checkouts.first().waitFor({ timeout: 15_000 });
    await shoot('traces');
    // The oldest in the list: every service has exported its spans of it by now (the newest may still be arriving).
    await checkouts.last().click();
    const waterfall = page.getByRole('region', { name: 'Waterfall' });
    await waterfall.waitFor();
    const spans = await waterfall.getByRole('button').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    expect(spans[0]).toMatch(/^gateway /);
    for (const svc of ['orders', 'payments']) expect(spans.some((s) => s.startsWith(`${svc} `)), `a span of ${svc} in ${spans.join(' | ')}`).toBe(true);
    await waterfall.getByRole('button', { name: /^payments / }).first().click();
    await page.getByRole('heading', { level: 2, name: /^payments · / }).waitFor();
    await shoot('trace');
  });

  it('runs a Logs Insights query over the services\' logs', async () => {
    await openView('Logs', 'Logs');
    await page.getByRole('textbox', { name: 'Query' }).fill('fields @timestamp, @message | filter @message like "request" | limit 20');
    await page.getByRole('button', { name: 'Run query' }).click();
    await page.getByRole('heading', { level: 2, name: '20 rows' }).waitFor({ timeout: 15_000 });
    const messages = await page.locator('td.msg').allTextContents();
    expect(messages).toHaveLength(20);
    expect(messages.every((m) => m.includes('request'))).toBe(true);
    await shoot('logs');
  });

  it('rolls back a bad commit: the canary fails charges, the alarm fires, the deployments roll back, an incident opens', async () => {
    // GIVEN a commit whose payments fail every charge
    const from = demo!.output.stdout.length;
    const broke = await slipway(['demo', 'break', '--dir', path.relative(root, dir)], { cwd: root, timeoutMs: 30_000 });
    expect(broke.stderr).toBe('');
    expect(broke.code).toBe(0);
    expect(broke.stdout).toMatch(/^committed [0-9a-f]{12}: /);
    await line(/▶ pipeline run #2 /, 30_000, from);
    await line(/^ {2}▸ Approve$/m, 90_000, from);

    // WHEN a person approves it for production in the dashboard
    await openView('Pipelines', 'Pipelines');
    await page.getByRole('heading', { level: 2, name: 'Run 2' }).waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    // Only payments changed: only payments deploys (a revision per service); the others are unchanged.
    await line(/⇢ payments → production: /, 30_000, from);

    // THEN the alarm fires and production's deployments roll back
    await line(/! alarm gateway-5xx: OK → ALARM/, 120_000, from);
    await line(/↩ payments in production rolled back to /, 60_000, from);
    await openView('Deployments', 'Deployments');
    const payments = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'production', exact: true }) }).filter({ has: page.getByRole('cell', { name: 'payments', exact: true }) });
    await payments.first().getByText('Rolled back', { exact: true }).waitFor({ timeout: 15_000 });
    await shoot('deployments');
    await payments.first().getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: /^Deployment \d+$/ }).waitFor();
    await page.getByText(/^Rolled back \(alarm\)/).waitFor();
    await shoot('deployment-rolled-back');

    // AND an incident opened for the alarm, as the dashboard's own session reads it
    const opened = await line(/! incident #(\d+) opened/, 60_000, from);
    const incidents = await page.evaluate(async () => {
      const res = await fetch('/api/v1/incidents?open=true');
      return { status: res.status, body: (await res.json()) as unknown };
    });
    expect(incidents.status).toBe(200);
    expect((incidents.body as { incidents: Incident[] }).incidents).toContainEqual(expect.objectContaining({ id: Number(opened[1]), alarm: 'gateway-5xx', service: 'gateway', state: 'Triggered', deploymentId: expect.any(Number) }));

    // AND its likely cause is production's deployment of the changed service, payments (not a staging one)
    const incident = (incidents.body as { incidents: Incident[] }).incidents.find((i) => i.id === Number(opened[1]))!;
    const detail = await page.evaluate(async (id) => {
      const res = await fetch(`/api/v1/incidents/${id}`);
      return (await res.json()) as { likelyCause: { deploymentId: number; service: string; environment: string; rule: string } | null };
    }, incident.id);
    expect(detail.likelyCause).toMatchObject({ service: 'payments', environment: 'production', rule: 'rolled-back-by-alarm' });
    // AND its postmortem draft names it as the root cause and in the second why, and counts the failed requests
    const postmortem = await page.evaluate(async (id) => {
      const res = await fetch(`/api/v1/incidents/${id}/postmortem`);
      return (await res.json()) as { markdown: string };
    }, incident.id);
    const cause = detail.likelyCause!.deploymentId;
    expect(postmortem.markdown).toContain(`Likely cause: deployment ${cause} of payments in production`);
    expect(postmortem.markdown).toContain(`2. **Why did that happen?** deployment ${cause} of payments in production`);
    expect(postmortem.markdown).toMatch(/- Errors: [1-9]\d* 5xx answers .* from the start of deployment \d+ /);
  }, 300_000);

  it('rolls newCheckout out to every production shopper in steps, then prints the new-checkout experiment', async () => {
    // GIVEN production's rollbackOn alarm back to OK after the bad commit (in ALARM it would revert the rollout at once)
    await expect
      .poll(() => page.evaluate(async () => ((await (await fetch('/api/v1/alarms/gateway-5xx')).json()) as { state: string }).state), { timeout: 120_000, interval: 2000 })
      .toBe('OK');
    const from = demo!.output.stdout.length;
    const rolled = await slipway(['demo', 'rollout', '--dir', path.relative(root, dir), '--steps', '50,100', '--interval', '2s'], { cwd: root, timeoutMs: 90_000 });
    expect(rolled.stderr).toBe('');
    expect(rolled.code).toBe(0);
    expect(rolled.stdout).toMatch(/^flag rollout (\d+) of production\/newCheckout: InProgress at 50% \(step 1 of 2: 50% \(2s\) → 100%\)/);
    expect(rolled.stdout).toMatch(/flag rollout \d+ of production\/newCheckout: Succeeded at 100%/);
    // The experiment on the flag, whatever it concludes from the demo's shoppers so far
    expect(rolled.stdout).toMatch(/^production\/new-checkout on flag newCheckout: \w+/m);
    expect(rolled.stdout).toMatch(/^verdict: (Inconclusive|NotSignificant|Better|Worse): /m);
    // AND the running demo printed the rollout's steps as they happened
    await line(/⚑ flag newCheckout in production: rollout \d+ \(50% → 100%\)/, 10_000, from);
    await line(/✓ flag newCheckout in production: everyone gets the new definition/, 10_000, from);
    // AND the flag now serves the new checkout to everyone in production
    const flag = await page.evaluate(async () => (await (await fetch('/api/v1/flags/production/newCheckout')).json()) as { definition: { default: unknown; rules: unknown[] } });
    expect(flag.definition).toMatchObject({ default: true, rules: [] });
  }, 240_000);

  it('logged no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });

  it('stops on Ctrl-C: shoppers, tasks and router, and exits 0', async () => {
    await stop();
    expect(exit).toEqual({ code: 0, signal: null });
    expect(demo!.output.stdout).toMatch(/stopping the demo: shoppers, tasks, router/);
    for (const port of INGRESS_PORTS) await assertPortFree(port);
  }, 60_000);
});
