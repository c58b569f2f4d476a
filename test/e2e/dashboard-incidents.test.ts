import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import type { DeploymentListDto, EventsPageDto, IncidentDetailDto, IncidentDto, PipelineRunDto } from '../../src/shared/index.js';
import { controlPlaneApi } from '../support/api.js';
import { buildDashboard, CHROMIUM_PATH, hasChromium, launchChromium } from '../support/browser.js';
import { commitModel, type FixtureModel } from '../support/iac-repo.js';
import { tempDir, waitFor } from '../support/temp-dir.js';
import { startWebhookServer } from '../integration/alarms-sinks.js';

// An incident worked through the dashboard from Triggered to a written postmortem, on a small fixture
// app whose pipeline deploys a commit to staging: the incident names that deployment, so its causal
// chain runs from the commit. A real control plane, real git, real processes; only the incident is
// opened through the API, everything after it through the page.

const SCREENSHOTS = path.resolve(import.meta.dirname, 'screenshots');
const PIPELINE = `{ trigger: { branches: ['main'] }, stages: [{ name: 'Staging', actions: [{ type: 'deploy', environment: 'staging' }] }] }`;
/** alice is on call (the only member of a daily rotation); a SEV2 pages her, and the team an hour later. */
const oncall = (pageUrl: string) =>
  `notifications: { team: [{ type: 'webhook', url: ${JSON.stringify(pageUrl.replace('/alice', '/team'))} }] }, oncall: { users: { alice: { contact: [{ type: 'webhook', url: ${JSON.stringify(pageUrl)} }] } }, schedules: { primary: { timeZone: 'Europe/Berlin', layers: [{ members: ['alice'], rotation: 'daily', start: '2026-01-05' }] } }, escalationPolicies: { standard: { levels: [{ targets: [{ schedule: 'primary' }], escalateAfter: '1h' }, { targets: [{ topic: 'team' }], escalateAfter: '1h' }] } }, policyBySeverity: { SEV2: 'standard' } },`;
let pageUrl = '';
const model = (greeting: string): FixtureModel => ({ services: { web: { ingress: '/', min: 1, max: 1, env: { GREETING: greeting } } }, environments: { staging: {} }, pipeline: PIPELINE, extra: oncall(pageUrl) });

const browserMissing = !hasChromium();
if (browserMissing && process.env.CI) throw new Error(`the browser tests need chromium at ${CHROMIUM_PATH}, and CI must have it`);
if (browserMissing) console.warn(`dashboard incidents browser tests skipped: no chromium at ${CHROMIUM_PATH}`);

describe.skipIf(browserMissing)('incidents in the dashboard, in a real browser against a real control plane', () => {
  let tmp: { path: string; cleanup: () => void };
  let cp: ControlPlane;
  let close: (() => Promise<void>) | undefined;
  let context: BrowserContext;
  let page: Page;
  let sha: string;
  let deploymentId: number;
  let sink: Awaited<ReturnType<typeof startWebhookServer>> | undefined;
  const pageErrors: string[] = [];

  const api = controlPlaneApi(() => cp);
  const runOf = (commit: string) =>
    waitFor(`the run of ${commit.slice(0, 12)} to end`, async () => {
      const runs = (await api<{ runs: PipelineRunDto[] }>('GET', '/api/v1/pipeline/runs')).runs;
      const r = runs.find((x) => x.commitSha === commit);
      return r && ['Succeeded', 'Failed', 'Stopped'].includes(r.status) ? r : undefined;
    }, 45_000);

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    tmp = tempDir('slipway-e2e-incidents-');
    sink = await startWebhookServer(200);
    pageUrl = sink.url.replace('/hook', '/alice');
    const repo = path.join(tmp.path, 'repo');
    fs.mkdirSync(repo, { recursive: true });
    const [, first] = await Promise.all([buildDashboard(), commitModel(repo, model('hello'), 'web says hello')]);
    cp = await startControlPlane({ dataDir: path.join(tmp.path, 'data'), port: 0, configFile: path.join(repo, 'slipway.config.ts'), drainMs: 100, otlpPort: null, xrayPort: null, pollIntervalMs: 200, driftIntervalMs: 60_000 });
    expect((await runOf(first)).status).toBe('Succeeded');
    // GIVEN a commit the pipeline deploys to staging
    sha = await commitModel(repo, model('hi'), 'web: greet shorter');
    expect((await runOf(sha)).status).toBe('Succeeded');
    const deployments = (await api<DeploymentListDto>('GET', '/api/v1/deployments')).deployments;
    deploymentId = deployments.find((d) => d.environment === 'staging' && d.service === 'web' && d.toRevision === sha.slice(0, 12))!.id;

    const browser = await launchChromium();
    close = browser.close;
    context = browser.context;
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (err) => pageErrors.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(`${msg.text()} (${msg.location().url})`);
    });
    // The Resolve button asks for a confirmation.
    page.on('dialog', (d) => void d.accept());
    await page.goto(cp.loginUrl());
    await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 15_000 });
  }, 120_000);

  afterAll(async () => {
    await close?.();
    await cp?.close({ stopTasks: true });
    await sink?.close();
    tmp?.cleanup();
  }, 30_000);

  it('takes an incident from Triggered to a written postmortem through the page, and the event log holds every step', async () => {
    // GIVEN the incidents view open, live
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Incidents', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Incidents' }).waitFor();
    await page.getByText('No open incidents.').waitFor();
    // AND who is on call now, from the model's schedule
    const onCall = page.getByRole('table', { name: 'On call now' }).locator('tr[data-schedule="primary"]');
    await onCall.waitFor({ timeout: 10_000 });
    expect(await onCall.locator('td').first().textContent()).toBe('alice');

    // WHEN an incident naming the deployment is opened THEN it appears in the open list, live
    const opened = await api<IncidentDto>('POST', '/api/v1/incidents', { title: 'web answers the wrong greeting', severity: 'SEV2', service: 'web', environment: 'staging', deploymentId });
    const row = page.getByRole('table', { name: 'Open incidents' }).locator(`tr[data-incident="${opened.id}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.locator('.badge').allTextContents()).toEqual(['SEV2', 'Triggered']);
    expect(await row.textContent()).toContain('web in staging');
    await row.getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: `Incident ${opened.id}: web answers the wrong greeting` }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/incidents/${opened.id}`);

    // THEN the causal chain runs from the commit through the deployment to the incident, marked in the timeline
    const chain = page.getByRole('list', { name: 'Causal chain' });
    await chain.locator('li').first().waitFor();
    expect(await chain.locator('li').evaluateAll((li) => li.map((l) => l.getAttribute('data-kind')))).toEqual(['commit', 'deployment', 'incident']);
    expect(await chain.locator('li[data-kind="commit"]').textContent()).toContain(`commit ${sha.slice(0, 12)} "web: greet shorter" on main`);
    expect(await chain.locator('li[data-kind="deployment"]').textContent()).toContain(`deployment ${deploymentId} of web in staging`);
    const detail = await api<IncidentDetailDto>('GET', `/api/v1/incidents/${opened.id}`);
    const marked = await page.locator('.timeline li.tl-chain').evaluateAll((li) => li.map((l) => Number(l.getAttribute('data-seq'))));
    expect(marked).toEqual(detail.causalChain.map((l) => l.seq).filter((seq) => detail.timeline.some((e) => e.seq === seq)));
    expect(marked.length).toBeGreaterThanOrEqual(2);
    // AND the incident paged the on-call, alice, at level 1 of its severity's policy
    const paging = page.getByRole('region', { name: 'Incident facts' }).locator('[data-escalation-level]');
    await paging.waitFor({ timeout: 10_000 });
    expect(await paging.textContent()).toMatch(/^level 1 of standard: alice \(level 2 at .* unless acknowledged; 1 page\)$/);
    await waitFor('the page to alice', () => (sink!.received.some((r) => (JSON.parse(r.rawBody) as { topic: string }).topic === 'user:alice') ? true : undefined), 10_000);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'incident-triggered.png'), fullPage: true });

    // WHEN it is acknowledged from the page
    await page.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    const facts = page.getByRole('region', { name: 'Incident facts' });
    await facts.getByText('Acknowledged', { exact: true }).waitFor({ timeout: 10_000 });
    expect(await page.getByRole('button', { name: 'Acknowledge', exact: true }).count()).toBe(0);
    // THEN the escalation ends: the team is not paged
    await page.locator('[data-escalation-ended="acknowledged"]').waitFor({ timeout: 10_000 });

    // AND a note is added
    await page.getByLabel('New note').fill('the greeting changed in the last commit');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByRole('list', { name: 'Notes' }).getByText('the greeting changed in the last commit').waitFor({ timeout: 10_000 });

    // AND an action item with owner and due date, then marked done
    const form = page.getByRole('form', { name: 'New action item' });
    await form.getByLabel('Action').fill('test the greeting in the pipeline');
    await form.getByLabel('Owner').fill('alice');
    await form.getByLabel('Due').fill('2030-01-15');
    await form.getByRole('button', { name: 'Add action item' }).click();
    const item = page.getByRole('table', { name: 'Action items' }).locator('tr[data-item="1"]');
    await item.waitFor({ timeout: 10_000 });
    expect(await item.locator('td').allTextContents()).toEqual(expect.arrayContaining(['1', 'test the greeting in the pipeline', 'alice', '2030-01-15']));
    await item.getByLabel('Status of action item 1').selectOption('Done');
    await item.locator('.badge').getByText('Done').waitFor({ timeout: 10_000 });

    // AND it is resolved
    await page.getByRole('button', { name: 'Resolve', exact: true }).click();
    await facts.getByText('Resolved', { exact: true }).waitFor({ timeout: 10_000 });
    await facts.getByText(/^due /).waitFor();

    // AND the postmortem is written over the draft and saved, with its preview rendered
    const editor = page.getByLabel('Postmortem Markdown');
    await expect.poll(() => editor.inputValue(), { timeout: 10_000 }).toContain(`# Postmortem: incident ${opened.id}`);
    const markdown = `# Postmortem: incident ${opened.id}\n\nThe greeting changed in commit ${sha.slice(0, 12)}.\n\n| action | owner |\n|---|---|\n| test the greeting | alice |\n`;
    await editor.fill(markdown);
    const preview = page.getByRole('region', { name: 'Postmortem preview' });
    await preview.getByRole('heading', { level: 1, name: `Postmortem: incident ${opened.id}` }).waitFor();
    await preview.getByRole('cell', { name: 'test the greeting' }).waitFor();
    await page.getByRole('button', { name: 'Save postmortem' }).click();
    await page.getByText(/^Saved /).waitFor({ timeout: 10_000 });
    await facts.getByText('Postmortem done', { exact: true }).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'incident-done.png'), fullPage: true });

    // THEN the list shows it among the recent ones, its postmortem written
    await page.getByRole('link', { name: '← All incidents' }).click();
    const recent = page.getByRole('table', { name: 'Recent incidents' }).locator(`tr[data-incident="${opened.id}"]`);
    await recent.getByText(/^written /).waitFor({ timeout: 10_000 });

    // AND the event log holds each step, by the dashboard's session
    const events = (await api<EventsPageDto>('GET', `/api/v1/events?subject=incident/${opened.id}&limit=100`)).events;
    expect(events.map((e) => e.type)).toEqual([
      'incident.opened',
      'incident.paged',
      'incident.acknowledged',
      'incident.escalation.ended',
      'incident.note.added',
      'incident.action_item.added',
      'incident.action_item.updated',
      'incident.resolved',
      'incident.postmortem.written',
    ]);
    const data = (type: string) => events.find((e) => e.type === type)!.data;
    expect(data('incident.acknowledged')).toMatchObject({ by: 'dashboard', state: 'Acknowledged' });
    expect(data('incident.escalation.ended')).toMatchObject({ reason: 'acknowledged' });
    expect(data('incident.note.added')).toMatchObject({ text: 'the greeting changed in the last commit', author: 'dashboard' });
    expect(data('incident.action_item.added')).toMatchObject({ itemId: 1, text: 'test the greeting in the pipeline', owner: 'alice', dueDate: '2030-01-15', status: 'Open' });
    expect(data('incident.action_item.updated')).toMatchObject({ itemId: 1, status: 'Done', changed: ['status'] });
    expect(data('incident.postmortem.written')).toMatchObject({ markdown, author: 'dashboard', state: 'PostmortemDone' });
    expect(await page.locator('[role="alert"], .error-box, .error-text').allTextContents()).toEqual([]);

    // AND on a 390 px wide screen neither page scrolls sideways
    await page.setViewportSize({ width: 390, height: 844 });
    for (const url of ['/incidents', `/incidents/${opened.id}`]) {
      await page.goto(`${cp.url}${url}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.locator('.loading').first().waitFor({ state: 'detached' }).catch(() => undefined);
      const overflow: number = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect([url, overflow]).toEqual([url, 0]);
    }
    await page.screenshot({ path: path.join(SCREENSHOTS, 'incident-narrow.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
