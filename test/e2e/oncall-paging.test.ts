import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FREE_PORTS, slipway, startSlipway } from '../support/cli.js';
import { tempDir, waitFor } from '../support/temp-dir.js';
import { startWebhookServer } from '../integration/alarms-sinks.js';
import { killDataPlane } from '../support/data-plane.js';

describe('on-call paging through `slipway up` (real processes, real HTTP)', () => {
  const cleanups: (() => void | Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('pages the on-call user, escalates to the team topic, and ends the escalation on acknowledgement', async () => {
    // GIVEN an app whose SEV1 policy pages alice (the only member of the rotation), then the team topic after 2s
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const sink = await startWebhookServer(200);
    cleanups.push(sink.close);
    fs.mkdirSync(path.join(tmp.path, 'web'));
    fs.writeFileSync(path.join(tmp.path, 'web', 'server.js'), "require('node:http').createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');\n");
    const config = {
      name: 'paging',
      services: { web: { path: 'web', start: 'node server.js', health: { path: '/' } } },
      environments: { production: { ingressPort: 0 } },
      notifications: { team: [{ type: 'webhook', url: sink.url.replace('/hook', '/team'), filter: { events: ['incident.paged', 'incident.escalated'] } }] },
      oncall: {
        users: { alice: { contact: [{ type: 'webhook', url: sink.url.replace('/hook', '/alice') }] } },
        schedules: { primary: { timeZone: 'Europe/Berlin', layers: [{ members: ['alice'], rotation: 'daily', start: '2026-01-05' }] } },
        escalationPolicies: { standard: { levels: [{ targets: [{ schedule: 'primary' }], escalateAfter: '2s' }, { targets: [{ topic: 'team' }], escalateAfter: '1h' }] } },
        policyBySeverity: { SEV1: 'standard' },
      },
    };
    fs.writeFileSync(path.join(tmp.path, 'slipway.config.json'), JSON.stringify(config, null, 2));
    const up = startSlipway(['up', ...FREE_PORTS], { cwd: tmp.path, env: { SLIPWAY_TOKEN: '' } });
    cleanups.push(() => {
      // A failed assertion leaves the control plane up: stop it, and the router and task it started.
      if (up.child.exitCode !== null) return;
      up.child.kill('SIGKILL');
      killDataPlane(path.join(tmp.path, '.slipway'));
    });
    await waitFor('the banner', () => (up.output.stdout.includes('Press Ctrl-C') ? true : undefined), 30_000);
    const env = { SLIPWAY_TOKEN: undefined, SLIPWAY_URL: undefined };

    // WHEN asked who is on call THEN alice
    const now = await slipway(['oncall', 'now', '--json'], { cwd: tmp.path, env });
    expect(JSON.parse(now.stdout)).toMatchObject({ schedules: [{ schedule: 'primary', user: 'alice', timeZone: 'Europe/Berlin' }] });

    // WHEN a SEV1 incident opens THEN alice's webhook is paged, then (nobody acknowledging) the team's
    expect((await slipway(['incidents', 'open', 'web down', '--severity', 'SEV1'], { cwd: tmp.path, env })).code).toBe(0);
    const pages = await waitFor('two pages', () => (sink.received.length >= 2 ? sink.received.map((r) => JSON.parse(r.rawBody) as { topic: string; event: string }) : undefined), 20_000);
    expect(pages.map((p) => [p.topic, p.event])).toEqual([
      ['user:alice', 'incident.paged'],
      ['team', 'incident.escalated'],
    ]);

    // WHEN alice acknowledges THEN the escalation ends, on the incident's timeline
    expect((await slipway(['incidents', 'ack', '1', '--by', 'alice'], { cwd: tmp.path, env })).code).toBe(0);
    const ended = await waitFor('the end of the escalation', async () => {
      const shown = await slipway(['incidents', 'show', '1'], { cwd: tmp.path, env });
      return shown.stdout.includes('escalation ended: acknowledged after 2 pages') ? shown.stdout : undefined;
    });
    expect(ended).toMatch(/paged level 1 of standard: alice \(on call on primary\)[\s\S]*escalated: paged level 2 of standard: topic team/);
    expect(ended).toMatch(/^ {2}paging {7}standard: 2 pages, last level 2 \(topic team\) at \S+; ended: acknowledged$/m);

    up.child.kill('SIGTERM');
    expect((await up.exited).code).toBe(0);
  }, 60_000);
});
