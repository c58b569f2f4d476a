import { createHmac, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveApp, type ResolvedApp } from '../../src/shared/index.js';
import { validDefinition } from '../fixtures/configs/valid-definition.js';
import { auth, testServer } from '../support/server.js';
import { tempDir } from '../support/temp-dir.js';
import { afterPeriod, alarmsFixture, metricAlarm, MINUTE, T0 } from './alarms-harness.js';
import { startSmtpSink, startWebhookServer } from './alarms-sinks.js';
import { deploymentPayload } from '../support/event-payloads.js';

type Notifications = ResolvedApp['notifications'];

describe('notifications', () => {
  let fx = alarmsFixture();
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    await fx.close();
    for (const c of cleanups.splice(0).reverse()) await c();
    fx = alarmsFixture();
  });

  const fire = async (alarms: { evaluateNow(nowMs?: number): Promise<unknown>; flushNotifications(): Promise<void> }, value = 9, period = 0) => {
    fx.metrics.set('Errors', T0 + period * MINUTE, value);
    await alarms.evaluateNow(afterPeriod(T0 + period * MINUTE));
  };

  it('posts a signed JSON body to a webhook; the receiver verifies the HMAC of the raw body', async () => {
    // GIVEN a webhook subscription with a signing secret, on a real local HTTP server
    const hook = await startWebhookServer(200);
    cleanups.push(hook.close);
    const notifications: Notifications = { oncall: [{ type: 'webhook', url: hook.url, secret: 'HOOK_SECRET' }] };
    const alarms = fx.make([metricAlarm('gateway-5xx', { notify: ['oncall'], description: 'gateway errors' })], {
      notifications,
      secrets: { get: (name) => Promise.resolve(name === 'HOOK_SECRET' ? 's3cret' : undefined) },
    });
    // WHEN the alarm fires
    const arrived = hook.next();
    await fire(alarms);
    const req = await arrived;
    await alarms.flushNotifications();
    // THEN the signature is sha256=<hmac of the raw body> under the secret
    const expected = `sha256=${createHmac('sha256', 's3cret').update(req.rawBody).digest('hex')}`;
    const got = String(req.headers['x-slipway-signature-256']);
    expect(got.length).toBe(expected.length);
    expect(timingSafeEqual(Buffer.from(got), Buffer.from(expected))).toBe(true);
    expect(req.headers['x-slipway-event']).toBe('alarm.state.changed');
    expect(req.headers['content-type']).toBe('application/json');
    const body = JSON.parse(req.rawBody) as Record<string, unknown>;
    expect(body).toMatchObject({ topic: 'oncall', event: 'alarm.state.changed', severity: 'critical', title: 'ALARM: gateway-5xx (INSUFFICIENT_DATA → ALARM)', subject: 'alarm/gateway-5xx' });
    expect(body.data).toMatchObject({ alarm: 'gateway-5xx', newState: 'ALARM', service: 'gateway', description: 'gateway errors' });
    // AND a notification.sent event records the delivery, without the secret
    const sent = fx.events.list({ type: 'notification.sent' });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.data).toMatchObject({ topic: 'oncall', eventType: 'alarm.state.changed', attempts: 1, subscription: `webhook ${hook.url}` });
    expect(JSON.stringify(sent[0]!.data)).not.toContain('s3cret');
  });

  it('posts { text, blocks } to a Slack-compatible webhook and sends email through SMTP', async () => {
    // GIVEN a Slack-compatible receiver and an SMTP sink, both local
    const slack = await startWebhookServer(200);
    const smtp = await startSmtpSink();
    cleanups.push(slack.close, smtp.close);
    const notifications: Notifications = {
      oncall: [
        { type: 'slack', url: slack.url },
        { type: 'email', to: ['oncall@example.com', 'lead@example.com'], smtp: { host: '127.0.0.1', port: smtp.port, from: 'slipway@example.com' } },
      ],
    };
    const alarms = fx.make([metricAlarm('gateway-5xx', { notify: ['oncall'] })], { notifications });
    // WHEN the alarm fires
    const slackReq = slack.next();
    const mail = smtp.next();
    await fire(alarms);
    // THEN Slack gets text and blocks
    const slackBody = JSON.parse((await slackReq).rawBody) as { text: string; blocks: { type: string }[] };
    expect(slackBody.text).toBe(':red_circle: ALARM: gateway-5xx (INSUFFICIENT_DATA → ALARM)');
    expect(slackBody.blocks.map((b) => b.type)).toEqual(['section', 'section', 'context']);
    // AND the SMTP sink records one message to both recipients with the title as subject
    const m = await mail;
    expect(m.from).toBe('slipway@example.com');
    expect(m.to).toEqual(['oncall@example.com', 'lead@example.com']);
    // (the subject has a non-ASCII arrow, so it arrives as RFC 2047 encoded words)
    expect(m.data).toMatch(/^Subject: =\?UTF-8\?Q\?=5Bslipway=5D_ALARM=3A_gateway-5xx_=28IN\?=\r?$/m);
    expect(m.data).toMatch(/^X-Slipway-Event: alarm\.state\.changed\r?$/m);
    expect(m.data).toContain('Reason: Threshold Crossed');
    await alarms.flushNotifications();
    expect(fx.events.list({ type: 'notification.sent' }).map((e) => String(e.data.subscription).split(' ')[0])).toEqual(expect.arrayContaining(['slack', 'email']));
  });

  it('retries a subscriber that answers 500 with backoff, then dead-letters it; the API lists the dead letter', async () => {
    // GIVEN a webhook that always fails, 3 attempts with a short backoff
    const hook = await startWebhookServer(500);
    cleanups.push(hook.close);
    const alarms = fx.make([metricAlarm('gateway-5xx', { notify: ['oncall'] })], {
      notifications: { oncall: [{ type: 'webhook', url: hook.url, secret: undefined }] },
      delivery: { maxAttempts: 3, backoffBaseMs: 5, timeoutMs: 2000 },
    });
    // WHEN the alarm fires and deliveries settle
    await fire(alarms);
    await alarms.flushNotifications();
    // THEN it was tried 3 times, each failure recorded, then dead-lettered
    expect(hook.received).toHaveLength(3);
    const failed = fx.events.list({ type: 'notification.failed' }).map((e) => [e.data.attempt, e.data.error, e.data.willRetry, e.data.retryInMs]);
    expect(failed).toEqual([
      [1, 'HTTP 500', true, 5],
      [2, 'HTTP 500', true, 10],
      [3, 'HTTP 500', false, undefined],
    ]);
    const dead = fx.events.list({ type: 'notification.dead_lettered' });
    expect(dead).toHaveLength(1);
    expect(dead[0]!.data).toMatchObject({ topic: 'oncall', attempts: 3, error: 'HTTP 500' });
    // AND GET /api/v1/notifications/dead-letters shows it
    const server = await testServer({ routes: [alarms.routes] });
    cleanups.push(server.close);
    const res = await server.app.inject({ method: 'GET', url: '/api/v1/notifications/dead-letters', headers: auth });
    expect(res.statusCode).toBe(200);
    const letters = (res.json() as { deadLetters: Record<string, unknown>[] }).deadLetters;
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ topic: 'oncall', eventType: 'alarm.state.changed', attempts: 3, lastError: 'HTTP 500', subscription: `webhook ${hook.url}` });
    expect(letters[0]!.message).toMatchObject({ event: 'alarm.state.changed', title: 'ALARM: gateway-5xx (INSUFFICIENT_DATA → ALARM)' });
  });

  it('does not let a hanging subscriber delay evaluation', async () => {
    // GIVEN a webhook that accepts the request and never answers, with a one-minute timeout
    const hook = await startWebhookServer('hang');
    cleanups.push(hook.close);
    const alarms = fx.make([metricAlarm('gateway-5xx', { notify: ['oncall'] })], {
      notifications: { oncall: [{ type: 'webhook', url: hook.url, secret: undefined }] },
      delivery: { timeoutMs: 60_000 },
    });
    // WHEN the alarm fires, the delivery hangs, and the next rounds run
    const arrived = hook.next();
    await fire(alarms, 9, 0);
    await arrived;
    const second = await alarms.evaluateNow(afterPeriod(T0 + MINUTE));
    fx.metrics.set('Errors', T0 + 2 * MINUTE, 0);
    const third = await alarms.evaluateNow(afterPeriod(T0 + 2 * MINUTE));
    // THEN every round completed while the webhook still holds its request
    expect(second.evaluated).toBe(1);
    expect(third.changed).toBe(1);
    expect(alarms.state('gateway-5xx')).toBe('OK');
    expect(fx.events.list({ type: 'notification' })).toEqual([]);
    // AND closing aborts the hanging delivery instead of waiting for it
    await alarms.close();
  });

  it('routes other events to every topic and applies each subscription filter written in the app model; writes JSON lines to a file', async () => {
    // GIVEN an app definition with a file sink that only wants failing deployments, and one that wants everything
    const tmp = tempDir('slipway-alarms-file-');
    cleanups.push(tmp.cleanup);
    const dir = tmp.path;
    const definition = validDefinition();
    definition.notifications = {
      oncall: [{ type: 'file', path: 'oncall.jsonl' }],
      deploys: [{ type: 'file', path: 'deploys.jsonl', filter: { events: ['deployment.*'], severities: ['critical', 'warning'] } }],
      all: [{ type: 'file', path: 'out/all.jsonl' }],
    };
    // AND the notifier gets the topics as the model compiles them
    const { notifications } = resolveApp(definition);
    const alarms = fx.make([metricAlarm('gateway-5xx', { notify: ['all'] })], { notifications, appDir: dir });
    // WHEN a deployment succeeds, another rolls back, a pipeline run fails and the alarm fires
    fx.events.append({ type: 'deployment.succeeded', subject: 'deployment/1', data: deploymentPayload('deployment.succeeded', { deploymentId: 1, environment: 'staging' }) });
    fx.events.append({ type: 'deployment.rolled_back', subject: 'deployment/2', data: deploymentPayload('deployment.rolled_back', { deploymentId: 2, reason: 'alarm gateway-5xx' }) });
    fx.events.append({ type: 'pipeline.run.failed', subject: 'pipeline-run/7', data: { runId: 7, commitSha: 'abc1234', branch: 'main', durationMs: 1000, reason: 'unit tests failed' } });
    fx.events.append({
      type: 'incident.opened',
      subject: 'incident/3',
      data: { incidentId: 3, title: 'gateway errors', severity: 'SEV2', state: 'Triggered', source: 'manual', alarm: null, service: 'gateway', environment: 'production', deploymentId: null, assignee: null, triggeredAtMs: 0, resolvedAtMs: null, by: 'test', reason: 'opened by hand' },
    });
    await fire(alarms);
    await alarms.flushNotifications();
    // THEN the filtered sink has only the rollback; the other has everything, alarm included
    const lines = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string; title: string; severity: string });
    expect(lines('deploys.jsonl').map((l) => l.title)).toEqual(['Deployment 2 of gateway to production rolled back']);
    expect(lines('out/all.jsonl').map((l) => `${l.severity} ${l.title}`)).toEqual([
      'info Deployment 1 of gateway to staging succeeded',
      'warning Deployment 2 of gateway to production rolled back',
      'warning Pipeline run 7 failed',
      'critical Incident 3 opened',
      'critical ALARM: gateway-5xx (INSUFFICIENT_DATA → ALARM)',
    ]);
  });
});
