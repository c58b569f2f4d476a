// A pipeline's deploy action waiting in a long canary step, carried out by the real deployment
// engine (over the in-memory traffic target: no processes), and the run cancelled or the
// pipelines closed meanwhile.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, systemClock, type SlipwayEvent } from '../../src/core/index.js';
import { createDeploymentEngine, deploymentMigrations, type DeploymentEngine } from '../../src/deployments/index.js';
import type { DeployRequest, Deployer } from '../../src/pipelines/index.js';
import { pipelineDeployer } from '../../src/server/pipeline-deployer.js';
import { canary, resolveApp } from '../../src/shared/index.js';
import { InMemoryTrafficTarget } from '../support/in-memory-traffic-target.js';
import { pipelineHarness, type Harness } from './pipelines-harness.js';

const app = resolveApp({
  name: 'demo',
  services: { web: { path: 'web', start: 'node server.js' } },
  environments: { production: { ingressPort: 0, strategy: canary({ steps: [10, 100], interval: '10m' }) } },
  pipeline: { stages: [{ name: 'Production', actions: [{ type: 'deploy', environment: 'production' }] }] },
});

/** The index of the plan's first wait step (the 10 % bake). */
const runningWait = (d: { plan: readonly { type: string }[] }) => d.plan.findIndex((s) => s.type === 'wait');

describe('a pipeline deploy action waiting in a canary bake', () => {
  let h: Harness | undefined;
  let engine: DeploymentEngine | undefined;
  afterEach(async () => {
    await h?.close();
    await engine?.close();
    h = undefined;
    engine = undefined;
  });

  /** The harness with the real deployer over a deployment engine in its database; v1 serves production. */
  async function setup(): Promise<{ h: Harness; engine: DeploymentEngine; target: InMemoryTrafficTarget }> {
    const deployer: { real?: Deployer } = {};
    const harness = await pipelineHarness({ resolvedApp: app, files: { 'web/server.js': '// v1\n' }, deployer: { deploy: (req: DeployRequest) => deployer.real!.deploy(req) } });
    h = harness;
    migrate(harness.db, deploymentMigrations);
    const target = new InMemoryTrafficTarget(app);
    await target.startRevision({ environment: 'production', service: 'web', revision: 'v1', sourceDir: harness.repo });
    engine = createDeploymentEngine({ app, target, metrics: { metrics: () => Promise.reject(new Error('no analysis')) }, db: harness.db, events: harness.events, clock: systemClock, appDir: harness.repo });
    deployer.real = pipelineDeployer(engine, harness.events, { app, appDir: harness.repo, appFile: undefined });
    fs.writeFileSync(path.join(harness.repo, 'web/server.js'), '// v2\n');
    await harness.commit({ 'web/server.js': '// v2\n' }, 'v2');
    return { h: harness, engine, target };
  }

  /** Starts a run and resolves once its deployment bakes at 10 % on the new revision. */
  async function runIntoBake(x: { h: Harness }): Promise<{ runId: number; deploymentId: number }> {
    const run = await x.h.pipelines.run();
    const waiting = await x.h.waitFor((e: SlipwayEvent) => e.type === 'deployment.step.started' && (e.data as { step?: { type?: string } }).step?.type === 'wait', { timeoutMs: 20_000 });
    return { runId: run.id, deploymentId: (waiting.data as { deploymentId: number }).deploymentId };
  }

  it('cancelling the run rolls its deployment back to the previous revision and answers promptly', async () => {
    const x = await setup();
    const { runId, deploymentId } = await runIntoBake(x);
    expect(x.target.describe('production', 'web').revisions.map((r) => [r.revision, r.weightPercent])).toEqual([['v1', 90], [expect.any(String), 10]]);
    // WHEN the run is cancelled during the 10-minute bake
    const t0 = performance.now();
    const cancelled = await x.h.pipelines.cancel(runId);
    const cancelMs = performance.now() - t0;
    // THEN cancel answers promptly with the run Stopped
    expect(cancelled.status).toBe('Stopped');
    expect(cancelMs).toBeLessThan(5_000);
    // AND its deployment's rollback was recorded before the answer
    const ofDeployment = () => x.h.events.list({ afterSeq: 0, limit: 10_000 }).filter((e) => e.subject === `deployment/${deploymentId}`).map((e) => e.type);
    expect(ofDeployment()).toContain('deployment.rollback.started');
    // AND the engine finishes it with the usual events: traffic back on v1, the canary's tasks stopped
    await x.h.waitFor((e: SlipwayEvent) => e.subject === `deployment/${deploymentId}` && e.type === 'deployment.rolled_back', { timeoutMs: 10_000 });
    const d = x.engine.service.get(deploymentId);
    expect([d.state, d.rollback?.trigger]).toEqual(['Stopped', 'abort']);
    expect(ofDeployment()).toEqual(expect.arrayContaining(['deployment.rollback.started', 'deployment.traffic.shifted', 'deployment.rolled_back']));
    expect(x.target.describe('production', 'web').revisions.map((r) => [r.revision, r.weightPercent])).toEqual([['v1', 100]]);
  });

  it('closing the pipelines does not wait for the bake, and leaves the deployment to be resumed', async () => {
    const x = await setup();
    const { deploymentId } = await runIntoBake(x);
    // WHEN the pipelines close during the bake (the control plane stops)
    const t0 = performance.now();
    await x.h.pipelines.close();
    const closeMs = performance.now() - t0;
    // THEN close returns promptly and the deployment is still baking, to be resumed by the next start
    expect(closeMs).toBeLessThan(5_000);
    const d = x.engine.service.get(deploymentId);
    expect([d.state, d.rollback, d.stepIndex]).toEqual(['InProgress', null, runningWait(d)]);
    expect(x.h.events.list({ afterSeq: 0, limit: 10_000 }).some((e) => e.subject === `deployment/${deploymentId}` && e.type === 'deployment.rollback.started')).toBe(false);
  });
});
