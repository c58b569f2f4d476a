import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import type { ChangeSet, PipelineRunDto } from '../../src/shared/index.js';
import { controlPlaneApi } from '../support/api.js';
import { buildDashboard, CHROMIUM_PATH, hasChromium, openDashboard } from '../support/browser.js';
import { commitModel, type FixtureModel } from '../support/iac-repo.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

// The app model in git as the dashboard shows it: a commit's plan stage as a change set in the
// run, then the Infrastructure view with the applied version, a plan's change set, a drift made
// by hand and an override. A real control plane, real git, real processes; nothing stood in for.

const SCREENSHOTS = path.resolve(import.meta.dirname, 'screenshots');
const PIPELINE = `{ trigger: { branches: ['main'] }, stages: [
    { name: 'Plan', actions: [{ type: 'plan' }] },
    { name: 'Approve', actions: [{ type: 'approval' }] },
    { name: 'Staging', actions: [{ type: 'deploy', environment: 'staging' }] },
  ] }`;
const ALARM = "{ service: 'web', metric: 'HTTPCode_Target_5XX_Count', stat: 'Sum', period: '1m', threshold: 5, evaluationPeriods: 1 }";

const base = (): FixtureModel => ({ services: { web: { ingress: '/', min: 1, max: 3 } }, environments: { staging: {} }, pipeline: PIPELINE });

const browserMissing = !hasChromium();
if (browserMissing && process.env.CI) throw new Error(`the browser tests need chromium at ${CHROMIUM_PATH}, and CI must have it`);
if (browserMissing) console.warn(`dashboard iac browser tests skipped: no chromium at ${CHROMIUM_PATH}`);

type Run = PipelineRunDto;
type PlanOutput = { planId: number; plan: ChangeSet; summary: { add: number; modify: number; remove: number } };

describe.skipIf(browserMissing)('infrastructure as code in the dashboard, in a real browser against a real control plane', () => {
  let tmp: { path: string; cleanup: () => void };
  let repo: string;
  let cp: ControlPlane;
  let close: (() => Promise<void>) | undefined;
  let page: Page;
  let sha: string;
  let runId: number;
  let planned: PlanOutput;
  let pageErrors: string[] = [];

  const api = controlPlaneApi(() => cp);
  // A run the poll has not created yet reads as one that has not started.
  const run = (id: number) => api<Run>('GET', `/api/v1/pipeline/runs/${id}`).catch(() => undefined);
  const waitingForApproval = (id: number) =>
    waitFor(`run ${id} to wait for its approval`, async () => {
      const r = await run(id);
      return r?.stages.some((s) => s.actions.some((a) => a.type === 'approval' && a.status === 'Waiting')) ? r : undefined;
    }, 30_000);
  const ended = (id: number) =>
    waitFor(`run ${id} to end`, async () => {
      const r = await run(id);
      return r && ['Succeeded', 'Failed', 'Stopped'].includes(r.status) ? r : undefined;
    }, 30_000);
  const approve = (id: number) => api('POST', `/api/v1/pipeline/runs/${id}/approve`, { by: 'reviewer' });

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    tmp = tempDir('slipway-e2e-iac-');
    repo = path.join(tmp.path, 'repo');
    fs.mkdirSync(repo, { recursive: true });
    await Promise.all([buildDashboard(), commitModel(repo, base(), 'one service in staging')]);
    cp = await startControlPlane({ dataDir: path.join(tmp.path, 'data'), port: 0, configFile: path.join(repo, 'slipway.config.ts'), drainMs: 100, otlpPort: null, xrayPort: null, pollIntervalMs: 200, driftIntervalMs: 60_000 });
    // The first run is of the commit slipway started with: it plans no change.
    await waitingForApproval(1);
    await approve(1);
    expect((await ended(1)).status).toBe('Succeeded');

    ({ page, pageErrors, close } = await openDashboard(cp));
  }, 90_000);

  afterAll(async () => {
    await close?.();
    await cp?.close({ stopTasks: true });
    tmp?.cleanup();
  }, 30_000);

  it("shows a run's plan stage as a change set: actions, resources, effects and old → new, before the approval", async () => {
    const m = base();
    m.services.web!.min = 2;
    m.alarms = { 'web-5xx': ALARM };
    sha = await commitModel(repo, m, 'web: two tasks and a 5xx alarm');
    runId = await waitFor(`a run of ${sha.slice(0, 12)}`, async () => (await api<{ runs: { id: number; commitSha: string }[] }>('GET', '/api/v1/pipeline/runs')).runs.find((r) => r.commitSha === sha)?.id, 20_000);
    const waiting = await waitingForApproval(runId);
    const action = waiting.stages[0]!.actions[0]!;
    planned = action.output as PlanOutput;
    // GIVEN the plan the API holds: the raised minimum and the new alarm
    expect(planned.plan.changes.map((c) => [c.action, c.resourceId])).toEqual(expect.arrayContaining([['Modify', 'service/staging/web'], ['Add', 'alarm/web-5xx']]));

    // WHEN the run is opened in the dashboard
    await page.goto(`${cp.url}/pipelines?run=${runId}`);
    const changeSet = page.getByRole('group', { name: `Change set of ${action.name}` });
    await changeSet.waitFor({ timeout: 10_000 });

    // THEN every change is a row in apply order, with its action, effect and attributes
    const { add, modify, remove } = planned.summary;
    await changeSet.getByText(`Plan: ${add} to add, ${modify} to change, ${remove} to remove.`).waitFor();
    expect(await changeSet.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-resource')))).toEqual(planned.plan.changes.map((c) => c.resourceId));
    const web = changeSet.locator('tr[data-resource="service/staging/web"]');
    expect(await web.getAttribute('data-action')).toBe('Modify');
    expect(await web.locator('.plan-action').textContent()).toBe('~ Modify');
    expect(await web.locator('.badge').textContent()).toBe('in-place');
    expect(await web.locator('.plan-attrs li').allTextContents()).toContain('scaling.min: 1 → 2');
    const alarm = changeSet.locator('tr[data-resource="alarm/web-5xx"]');
    expect(await alarm.locator('.plan-action').textContent()).toBe('+ Add');
    expect((await alarm.locator('.plan-attrs li').allTextContents()).some((t) => t.startsWith('threshold: (none) → 5'))).toBe(true);
    // AND the plan stage's box sums it up
    await page.getByRole('listitem', { name: 'Stage Plan: Succeeded' }).getByText(`${add} to add, ${modify} to change, ${remove} to remove`).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'pipeline-plan.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('shows the applied version, the plan that made it, and a manual scale as drift once detected', async () => {
    await approve(runId);
    expect((await ended(runId)).status).toBe('Succeeded');

    // GIVEN the applied commit WHEN the Infrastructure view opens THEN staging runs it, applied by the run
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Infrastructure', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Infrastructure' }).waitFor();
    const staging = page.locator('tr[data-scope="env/staging"]');
    await staging.getByText(sha.slice(0, 12), { exact: true }).waitFor({ timeout: 10_000 });
    expect(await staging.getByRole('link', { name: `run ${runId}` }).count()).toBe(1);
    // Before any detection the view claims nothing; a detection from the dashboard finds staging in sync.
    const drift = page.getByRole('group', { name: 'Drift in staging' });
    await drift.getByText('Not checked').waitFor();
    await page.getByRole('button', { name: 'Detect now' }).click();
    await drift.getByText('In sync').waitFor({ timeout: 10_000 });

    // AND the recent plans link to the same change set the run showed, applied
    await page.getByRole('link', { name: `Plan ${planned.planId}`, exact: true }).click();
    const changeSet = page.getByRole('group', { name: `Change set of plan ${planned.planId}` });
    await changeSet.waitFor();
    expect(await changeSet.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-resource')))).toEqual(planned.plan.changes.map((c) => c.resourceId));
    await page.getByRole('list', { name: 'Applies' }).getByText('Succeeded').first().waitFor();

    // WHEN web is scaled by hand and detection runs from the dashboard
    const revision = cp.runtime!.environments.revisions.list({ environment: 'staging', service: 'web' }).find((r) => r.weightPercent === 100)!.revision;
    await api('PUT', `/api/v1/environments/staging/services/web/revisions/${encodeURIComponent(revision)}/scale`, { desiredCount: 3 });
    await page.getByRole('button', { name: 'Detect now' }).click();

    // THEN the drift shows with what the model expects and what runs
    const count = drift.locator('tr[data-kind="count"][data-resource="service/staging/web"]');
    await count.waitFor({ timeout: 10_000 });
    expect(await count.locator('.plan-old').textContent()).toContain('"desiredCount":2');
    expect(await count.locator('.plan-new').textContent()).toContain('"desiredCount":3');
    await drift.getByText('1 drift').waitFor();

    // AND an override recorded for it is listed with its reason, live
    await api('POST', '/api/v1/iac/overrides', { environment: 'staging', resourceId: 'service/staging/web', reason: 'a load test scales web by hand', for: '10m' });
    await page.locator('section[aria-labelledby="iac-overrides"] tr[data-override]').getByText('a load test scales web by hand').waitFor({ timeout: 10_000 });
    expect(await page.locator('[role="alert"], .error-box, .error-text').allTextContents()).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'iac.png'), fullPage: true });
  }, 60_000);
});
