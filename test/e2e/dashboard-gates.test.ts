import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import type { AnalysisOutputDto, LoadTestOutputDto, PipelineRunDto } from '../../src/shared/index.js';
import { controlPlaneApi } from '../support/api.js';
import { buildDashboard, CHROMIUM_PATH, hasChromium, openDashboard } from '../support/browser.js';
import { commitModel } from '../support/iac-repo.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

// A run's quality gates as the dashboard shows them: the findings of a static analysis and the
// figures of a load test, from a real run of a real control plane (router, tasks, git, ESLint).

const SCREENSHOTS = path.resolve(import.meta.dirname, 'screenshots');
const PIPELINE = `{ trigger: { branches: ['main'] }, stages: [
    { name: 'Staging', actions: [{ type: 'deploy', environment: 'staging' }] },
    { name: 'Load', actions: [{ type: 'loadtest', target: { environment: 'staging' }, duration: '1s', concurrency: 2, ratePerSecond: 40, thresholds: { p99Ms: 2000, errorRate: 0.05 } }] },
    { name: 'Analyze', actions: [{ type: 'analyze' }] },
  ] }`;

const browserMissing = !hasChromium();
if (browserMissing && process.env.CI) throw new Error(`the browser tests need chromium at ${CHROMIUM_PATH}, and CI must have it`);
if (browserMissing) console.warn(`dashboard gates browser tests skipped: no chromium at ${CHROMIUM_PATH}`);

describe.skipIf(browserMissing)('quality gates in the dashboard, in a real browser against a real control plane', () => {
  let tmp: { path: string; cleanup: () => void };
  let cp: ControlPlane;
  let close: (() => Promise<void>) | undefined;
  let page: Page;
  let run: PipelineRunDto;
  let pageErrors: string[] = [];
  const api = controlPlaneApi(() => cp);

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    tmp = tempDir('slipway-e2e-gates-');
    const repo = path.join(tmp.path, 'repo');
    fs.mkdirSync(path.join(repo, 'lib'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'lib', 'template.js'), 'module.exports = (src) => new Function(src);\n');
    await Promise.all([buildDashboard(), commitModel(repo, { services: { web: { ingress: '/' } }, environments: { staging: {} }, pipeline: PIPELINE }, 'web, with a template helper')]);
    cp = await startControlPlane({ dataDir: path.join(tmp.path, 'data'), port: 0, configFile: path.join(repo, 'slipway.config.ts'), drainMs: 100, otlpPort: null, xrayPort: null, pollIntervalMs: 200, driftIntervalMs: 60_000 });
    run = await waitFor('run 1 to end', async () => {
      const r = await api<PipelineRunDto>('GET', '/api/v1/pipeline/runs/1').catch(() => undefined);
      return r && ['Succeeded', 'Failed', 'Stopped'].includes(r.status) ? r : undefined;
    }, 90_000);
    ({ page, pageErrors, close } = await openDashboard(cp));
  }, 150_000);

  afterAll(async () => {
    await close?.();
    await cp?.close({ stopTasks: true });
    tmp?.cleanup();
  }, 30_000);

  it("lists the run's findings (level, rule, file:line, message) and the load test's thresholds with what was measured", async () => {
    // GIVEN the run: the analysis failed on new Function, the load test passed
    const load = run.stages[1]!.actions[0];
    const analyze = run.stages[2]!.actions[0];
    expect(run.status).toBe('Failed');
    const analysis = analyze!.output.analysis as AnalysisOutputDto;
    expect(analysis.findings).toEqual([{ rule: 'no-new-func', level: 'error', message: 'The Function constructor is eval.', file: 'lib/template.js', line: 1 }]);
    const figures = load!.output.loadTest as LoadTestOutputDto;
    expect(load!.status).toBe('Succeeded');

    // WHEN the run is opened in the dashboard
    await page.goto(`${cp.url}/pipelines?run=${run.id}`);
    const findings = page.getByRole('table', { name: 'Findings of analyze' });
    await findings.waitFor({ timeout: 10_000 });

    // THEN the finding is a row with its level, rule, location and message
    expect(await findings.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)))).toEqual([['error', 'no-new-func', 'lib/template.js:1', 'The Function constructor is eval.']]);
    // AND each threshold of the load test is a row with its limit, the measured value and the verdict
    const thresholds = page.getByRole('table', { name: 'Thresholds of loadtest' });
    expect(await thresholds.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)))).toEqual(
      figures.thresholds.map((t) => [t.threshold, String(t.limit), String(t.value), 'passed']),
    );
    await page.getByText(`p99 ${figures.latencyMs!.p99}`, { exact: false }).first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'pipeline-gates.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
