import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentDetailDto, IncidentDto, PostmortemDto } from '../../src/shared/index.js';
import { TestApi } from '../support/api.js';
import { FREE_PORTS, startSlipway } from '../support/cli.js';
import { killDataPlane } from '../support/data-plane.js';
import { shopLoad, waitForDeploymentEvent } from '../support/deployment-harness.js';
import { writeShopConfig } from '../support/shop.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

interface Status {
  runtime: { router: { listeners: { kind: string; environment: string; port: number }[] }; environments: { services: { revisions: { tasks: { state: string }[] }[] }[] }[] };
}

/**
 * The demo's failure, reproduced with a real `slipway up`: the shop in staging and production, payments
 * changed in staging first, then a production canary of payments whose every charge fails, rolled back by
 * the real alarm engine's `gateway-5xx` (it watches gateway, in no particular environment), which opens an
 * incident. The incident's likely cause and its postmortem's second why must name production's payments
 * deployment — not the staging one, not gateway — and its Impact must count the failed requests.
 */
describe('an incident names the change that caused it', () => {
  const tmp = tempDir();
  const dataDir = path.join(tmp.path, 'data');
  const api = new TestApi(dataDir);
  let cp: ReturnType<typeof startSlipway> | undefined;

  beforeAll(async () => {
    const file = writeShopConfig(tmp.path, {
      environments: ['staging', 'production'],
      health: { interval: '1s', timeout: '900ms', unhealthyThreshold: 5 },
      alarms: { 'gateway-5xx': { metric: 'HTTPCode_Target_5XX_Count', service: 'gateway', stat: 'Sum', period: '10s', threshold: 3, evaluationPeriods: 1, datapointsToAlarm: 1 } },
    });
    // As in the shop: only production rolls back on the alarm.
    const config = JSON.parse(fs.readFileSync(file, 'utf8')) as { environments: Record<string, Record<string, unknown>> };
    config.environments.production!.rollbackOn = ['gateway-5xx'];
    fs.writeFileSync(file, JSON.stringify(config, null, 2));
    cp = startSlipway(['up', '--config', file, ...FREE_PORTS, '--data', dataDir]);
    await waitFor('the control plane', () => (fs.existsSync(path.join(dataDir, 'server.json')) ? true : undefined), 30_000).catch((err: Error) => {
      throw new Error(`${err.message}; slipway up said: ${cp!.output.stderr.slice(-2000)}`);
    });
    await waitFor('all tasks healthy', async () => {
      const st = await api.ok<Status>('GET', '/api/v1/status');
      const tasks = st.runtime.environments.flatMap((e) => e.services.flatMap((s) => s.revisions.flatMap((r) => r.tasks)));
      return tasks.length === 8 && tasks.every((t) => t.state === 'Healthy') ? true : undefined;
    }, 60_000);
  }, 120_000);

  afterAll(async () => {
    if (cp?.child.exitCode === null) {
      cp.child.kill('SIGINT');
      await cp.exited;
    }
    killDataPlane(dataDir);
    tmp.cleanup();
  });

  it('likely cause, second why and Impact name production’s payments canary', { timeout: 180_000 }, async () => {
    const st = await api.ok<Status>('GET', '/api/v1/status');
    const ingress = st.runtime.router.listeners.find((l) => l.kind === 'ingress' && l.environment === 'production')!.port;
    await waitFor('the ingress to route', async () => ((await fetch(`http://127.0.0.1:${ingress}/api/products?limit=1`)).status === 200 ? true : undefined));

    // GIVEN payments changed in staging first
    const staging = (await api.ok<{ id: number }>('POST', '/api/v1/deployments', { service: 'payments', environment: 'staging', revision: 'pay-v2' })).id;
    expect((await waitForDeploymentEvent(api, staging, ['deployment.succeeded', 'deployment.rolled_back', 'deployment.failed'], 60_000)).type).toBe('deployment.succeeded');

    // WHEN production's canary of payments fails every charge, under shoppers' load
    const load = shopLoad(ingress);
    let counts: Awaited<ReturnType<typeof load.stop>> | undefined;
    let bad = 0;
    try {
      bad = (
        await api.ok<{ id: number }>('POST', '/api/v1/deployments', {
          service: 'payments',
          environment: 'production',
          revision: 'pay-bad',
          env: { PAYMENTS_FAILURE_RATE: '1' },
          strategy: { type: 'canary', steps: [25, 100], interval: '10m' },
        })
      ).id;
      // THEN the real alarm engine's gateway-5xx rolls it back
      const end = await waitForDeploymentEvent(api, bad, ['deployment.rolled_back', 'deployment.succeeded', 'deployment.failed'], 120_000);
      expect(end.type).toBe('deployment.rolled_back');
    } finally {
      counts = await load.stop();
    }
    expect(counts.fivexx).toBeGreaterThan(0);
    const rollback = (await api.ok<{ events: { type: string; data: Record<string, unknown> }[] }>('GET', `/api/v1/events?subject=deployment/${bad}&limit=5000`)).events.find((e) => e.type === 'deployment.rollback.started')!;
    expect(rollback.data.alarms).toEqual(['gateway-5xx']);

    // AND an incident is open for the alarm
    const incident = await waitFor(
      'the incident',
      async () => (await api.ok<{ incidents: IncidentDto[] }>('GET', '/api/v1/incidents')).incidents.find((i) => i.alarm === 'gateway-5xx'),
      30_000,
    );
    expect(incident).toMatchObject({ service: 'gateway', state: 'Triggered' });

    // THEN its likely cause is production's payments deployment, named by the rollback the alarm started
    const detail = await api.ok<IncidentDetailDto>('GET', `/api/v1/incidents/${incident.id}`);
    expect(detail.likelyCause).toMatchObject({ kind: 'deployment', deploymentId: bad, service: 'payments', environment: 'production', toRevision: 'pay-bad', rule: 'rolled-back-by-alarm' });
    // AND the staging change is only "also changed", in another environment
    expect(detail.alsoChanged).toContainEqual(expect.objectContaining({ deploymentId: staging, environment: 'staging', sameEnvironment: false }));
    expect(detail.timeline.filter((e) => e.likelyCause).every((e) => e.subject === `deployment/${bad}`)).toBe(true);

    // AND the postmortem's root cause and second why name it, and Impact counts the failed requests
    // The router publishes its counters every few seconds, so the last failed answers before the
    // restore reach telemetry a scrape later: read the postmortem until its Impact has counted them.
    const errorsLine = /- Errors: (\d+) 5xx answers of \d+ requests .* from the start of deployment (\d+) at .* to traffic back on \S+ \(the rollback of deployment (\d+)\) at /;
    let pm = await api.ok<PostmortemDto>('GET', `/api/v1/incidents/${incident.id}/postmortem`);
    for (let i = 0; i < 30 && Number(errorsLine.exec(pm.markdown)?.[1] ?? 0) === 0; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      pm = await api.ok<PostmortemDto>('GET', `/api/v1/incidents/${incident.id}/postmortem`);
    }
    expect(pm.markdown).toContain(`Likely cause: deployment ${bad} of payments in production`);
    expect(pm.markdown).toMatch(new RegExp(`2\\. \\*\\*Why did that happen\\?\\*\\* deployment ${bad} of payments in production \\(\\S+ → pay-bad\\)`));
    const errors = errorsLine.exec(pm.markdown);
    expect(errors, pm.markdown).not.toBeNull();
    expect(Number(errors![1])).toBeGreaterThan(0);
    expect([Number(errors![2]), Number(errors![3])]).toEqual([bad, bad]);
  });
});
