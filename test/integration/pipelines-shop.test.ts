import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../src/core/index.js';
import { SHOP_DIR } from '../support/shop.js';
import { FakeDeployer, pipelineHarness, type Harness } from './pipelines-harness.js';

// The copy lives inside the repository (under the git-ignored .slipway/) so that the shop's
// buildspecs find vitest and the OpenTelemetry packages in the repository's node_modules.
const REPO_DATA = path.resolve(import.meta.dirname, '../../.slipway');

let h: Harness | undefined;
afterAll(async () => {
  await h?.close();
});

describe('the example shop\'s pipeline', () => {
  it('runs Build → Test (unit ∥ secrets) → Staging → Approve → Production end to end', { timeout: 180_000 }, async () => {
    // GIVEN a git repository made from a copy of examples/shop and its own slipway.config.ts
    fs.mkdirSync(REPO_DATA, { recursive: true });
    const { app } = await loadAppConfig({ cwd: SHOP_DIR });
    const deployer = new FakeDeployer();
    h = await pipelineHarness({ resolvedApp: app, copyFrom: SHOP_DIR, parentDir: REPO_DATA, deployer });
    expect(app.pipeline?.stages.map((s) => s.name)).toEqual(['Build', 'Test', 'Staging', 'Approve', 'Production']);
    // WHEN a run starts and reaches the approval
    const run = await h.pipelines.run();
    await h.waitFor((e) => e.type === 'pipeline.approval.requested' && e.data.runId === run.id, { timeoutMs: 150_000 });
    const waiting = h.pipelines.getRun(run.id);
    // THEN the build stored the artifact, the shop's real unit tests passed, the scan passed and staging got the artifact
    expect(waiting.stages.slice(0, 3).map((s) => s.status)).toEqual(['Succeeded', 'Succeeded', 'Succeeded']);
    expect(waiting.artifact).toMatch(/^sha256:/);
    expect(waiting.tests.total).toBeGreaterThan(0);
    expect(waiting.tests.failures).toBe(0);
    const test = waiting.stages[1]!;
    const [unit, secrets] = test.actions;
    expect(unit!.startedAtMs!).toBeLessThan(secrets!.endedAtMs!);
    expect(secrets!.startedAtMs!).toBeLessThan(unit!.endedAtMs!);
    expect(deployer.calls).toHaveLength(1);
    expect(deployer.calls[0]).toMatchObject({ environment: 'staging', revision: run.commitSha.slice(0, 12) });
    expect(fs.existsSync(path.join(deployer.calls[0]!.sourceDir, 'services/gateway/server.js'))).toBe(true);
    // WHEN it is approved THEN production is deployed with the same artifact and the run succeeds
    h.pipelines.approve(run.id, { by: 'release-manager' });
    const done = await h.waitForEnd(run.id);
    expect(done.status).toBe('Succeeded');
    expect(deployer.calls.map((c) => c.environment)).toEqual(['staging', 'production']);
    expect(deployer.calls[1]!.sourceDir).toBe(deployer.calls[0]!.sourceDir);
  });
});
