import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/core/index.js';
import { createTelemetry, type MetricPoint } from '../../src/telemetry/index.js';
import { buildMessage, nextDueMs } from '../../src/alarms/index.js';
import { slipway } from '../support/cli.js';
import { auth, TEST_TOKEN, testServer } from '../support/server.js';
import { gaugePoint } from '../support/metric-points.js';
import { tempDir } from '../support/temp-dir.js';
import { afterPeriod, alarmsFixture, compositeAlarm, metricAlarm, MINUTE, T0 } from './alarms-harness.js';

describe('alarms API', () => {
  let fx = alarmsFixture();
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    vi.useRealTimers();
    await fx.close();
    for (const c of cleanups.splice(0).reverse()) await c();
    fx = alarmsFixture();
  });

  it('lists alarms, shows history, mutes for a duration and unmutes', async () => {
    // GIVEN two alarms behind the API, one in ALARM
    const alarms = fx.make([metricAlarm('gateway-5xx'), compositeAlarm('page', 'ALARM(gateway-5xx)')]);
    fx.metrics.set('Errors', T0, 9);
    await alarms.evaluateNow(afterPeriod(T0));
    const server = await testServer({ routes: [alarms.routes] });
    cleanups.push(server.close);
    server.clock.set(fx.clock.now());
    const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: Record<string, unknown>) =>
      payload === undefined ? server.app.inject({ method, url, headers: auth }) : server.app.inject({ method, url, headers: auth, payload });
    // WHEN the list is read
    const list = await call('GET', '/api/v1/alarms');
    // THEN each alarm shows its kind, state, reason and mute
    expect(list.statusCode).toBe(200);
    expect((list.json() as { alarms: unknown[] }).alarms).toEqual([
      expect.objectContaining({ name: 'gateway-5xx', kind: 'Metric', state: 'ALARM', updatedAt: new Date(afterPeriod(T0)).toISOString(), muted: false, mutedUntil: null, error: null }),
      expect.objectContaining({ name: 'page', kind: 'Composite', state: 'ALARM', reason: 'Composite rule ALARM(gateway-5xx) is TRUE: gateway-5xx is ALARM.' }),
    ]);
    // WHEN it is muted for 30 minutes
    const muted = await call('POST', '/api/v1/alarms/gateway-5xx/mute', { for: '30m' });
    expect(muted.statusCode).toBe(200);
    expect(muted.json()).toMatchObject({ name: 'gateway-5xx', muted: true, mutedUntil: new Date(fx.clock.now() + 30 * MINUTE).toISOString() });
    // THEN history shows the mute above the state change; unmuting clears it
    const history = await call('GET', '/api/v1/alarms/gateway-5xx/history?limit=2');
    expect((history.json() as { history: { type: string }[] }).history.map((h) => h.type)).toEqual(['Mute', 'StateUpdate']);
    const unmuted = await call('DELETE', '/api/v1/alarms/gateway-5xx/mute');
    expect(unmuted.json()).toMatchObject({ muted: false, mutedUntil: null });
    expect(fx.events.list({ type: 'alarm' }).map((e) => e.type)).toEqual(['alarm.state.changed', 'alarm.state.changed', 'alarm.muted', 'alarm.unmuted']);
    // AND bad requests are answered with their code
    expect((await call('POST', '/api/v1/alarms/nope/mute', { for: '30m' })).json()).toMatchObject({ error: { code: 'SLW_ERR_ALARM_NOT_FOUND' } });
    const bad = await call('POST', '/api/v1/alarms/gateway-5xx/mute', { for: 'soon' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'SLW_ERR_API_VALIDATION' } });
    expect((await call('POST', '/api/v1/alarms/gateway-5xx/mute', { untilMs: T0 })).json()).toMatchObject({ error: { code: 'SLW_ERR_ALARM_MUTE_INVALID' } });
    expect((await call('GET', '/api/v1/alarms/nope/history')).statusCode).toBe(404);
  });

  it('shows an alarm with its runbook: a file read at request time, a URL as it is, and both on the state change', async () => {
    // GIVEN an alarm whose runbook is a Markdown file next to the config, and one whose runbook is a URL
    const dir = tempDir('slipway-runbook-');
    cleanups.push(dir.cleanup);
    fs.mkdirSync(path.join(dir.path, 'runbooks'));
    fs.writeFileSync(path.join(dir.path, 'runbooks', 'errors.md'), '# Errors\n\n1. Roll back.\n');
    const alarms = fx.make(
      [metricAlarm('gateway-5xx', { description: 'checkouts failing', runbook: 'runbooks/errors.md', notify: ['oncall'] }), metricAlarm('slow', { runbook: 'https://wiki.example.com/slow' })],
      { appDir: dir.path, notifications: { oncall: [] } },
    );
    fx.metrics.set('Errors', T0, 9);
    await alarms.evaluateNow(afterPeriod(T0));
    const server = await testServer({ routes: [alarms.routes] });
    cleanups.push(server.close);
    const get = async (url: string) => (await server.app.inject({ method: 'GET', url, headers: auth })).json() as Record<string, unknown>;
    // WHEN one alarm is read THEN it carries its description, topics, runbook and the runbook's text
    expect(await get('/api/v1/alarms/gateway-5xx')).toMatchObject({ name: 'gateway-5xx', state: 'ALARM', description: 'checkouts failing', notify: ['oncall'], runbook: 'runbooks/errors.md', runbookMarkdown: '# Errors\n\n1. Roll back.\n' });
    // AND an edited runbook shows without a restart; a URL has no text
    fs.writeFileSync(path.join(dir.path, 'runbooks', 'errors.md'), '# Errors\n\n1. Roll back.\n2. Page payments.\n');
    expect((await get('/api/v1/alarms/gateway-5xx')).runbookMarkdown).toContain('Page payments');
    expect(await get('/api/v1/alarms/slow')).toMatchObject({ runbook: 'https://wiki.example.com/slow', runbookMarkdown: null });
    expect((await get('/api/v1/alarms')).alarms).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'slow', runbook: 'https://wiki.example.com/slow' })]));
    expect(await get('/api/v1/alarms/nope')).toMatchObject({ error: { code: 'SLW_ERR_ALARM_NOT_FOUND' } });
    // AND the state change (what notifications and incidents are made of) names the runbook
    expect(fx.stateChanges('gateway-5xx').at(-1)!.data).toMatchObject({ newState: 'ALARM', runbook: 'runbooks/errors.md' });
    expect(buildMessage(fx.stateChanges('gateway-5xx').at(-1)!)!.text).toContain('Runbook: runbooks/errors.md');

    // WHEN `slipway alarms show` asks the same server THEN it prints the state, the runbook and its Markdown
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const address = server.app.server.address() as { port: number };
    const cli = await slipway(['alarms', 'show', 'gateway-5xx', '--url', `http://127.0.0.1:${address.port}`], { env: { SLIPWAY_TOKEN: TEST_TOKEN } });
    expect(cli.stderr).toBe('');
    expect(cli.stdout).toContain('gateway-5xx: ALARM');
    expect(cli.stdout).toContain('  runbook: runbooks/errors.md');
    expect(cli.stdout).toContain('2. Page payments.');
  });

  it('evaluates router metrics read through the real telemetry store', async () => {
    // GIVEN the router's cumulative 5xx counter for gateway in production, scraped every 5 s, in a real store
    const dir = tempDir('slipway-alarms-telemetry-');
    cleanups.push(dir.cleanup);
    const telemetry = createTelemetry({ dataDir: dir.path, otlpPort: null, xrayPort: null, clock: fx.clock });
    await telemetry.start();
    cleanups.push(() => telemetry.shutdown());
    const point = (timeMs: number, value: number, revision: string): MetricPoint => ({
      name: 'HTTPCode_Target_5XX_Count',
      unit: '{request}',
      description: '',
      kind: 'Sum',
      temporality: 'Cumulative',
      monotonic: true,
      service: 'slipway-router',
      resource: { 'service.name': 'slipway-router' },
      attributes: { environment: 'production', service: 'gateway', revision, targetGroup: `gateway-${revision}` },
      startTimeMs: T0 - 1000,
      timeMs,
      value,
    });
    // no errors in the first minute, 3 per scrape of the new revision in the second
    const points: MetricPoint[] = [];
    let v2 = 0;
    for (let t = T0; t < T0 + 2 * MINUTE; t += 5000) {
      if (t >= T0 + MINUTE) v2 += 3;
      points.push(point(t, 0, 'r1'), point(t, v2, 'r2'));
    }
    telemetry.ingestMetricPoints(points);
    await telemetry.forceFlush();
    const alarms = fx.make([metricAlarm('gateway-5xx', { metric: 'HTTPCode_Target_5XX_Count', threshold: 5 })], { telemetry });
    // WHEN the first and the second minute are evaluated
    await alarms.evaluateNow(afterPeriod(T0));
    const first = alarms.state('gateway-5xx');
    await alarms.evaluateNow(afterPeriod(T0 + MINUTE));
    // THEN the alarm sums both revisions of gateway in production: OK, then ALARM on 36 errors
    expect(first).toBe('OK');
    expect(alarms.state('gateway-5xx')).toBe('ALARM');
    expect(String(fx.stateChanges('gateway-5xx').at(-1)!.data.reason)).toMatch(/\[36\.0 \(01\/01\/26 00:01:00\)\] was greater than the threshold \(5\.0\)/);
  });

  it('evaluates a metric math alarm (errors / requests * 100) with M of N through the real telemetry store', async () => {
    // GIVEN gateway's 5xx and request counts per minute in a real store: 1 % errors in the first minute, 20 % in the next two
    const dir = tempDir('slipway-alarms-math-');
    cleanups.push(dir.cleanup);
    const telemetry = createTelemetry({ dataDir: dir.path, otlpPort: null, xrayPort: null, clock: fx.clock });
    await telemetry.start();
    cleanups.push(() => telemetry.shutdown());
    const gauge = gaugePoint;
    telemetry.ingestMetricPoints([
      gauge('errors', T0, 1), gauge('requests', T0, 100),
      gauge('errors', T0 + MINUTE, 20), gauge('requests', T0 + MINUTE, 100),
      gauge('errors', T0 + 2 * MINUTE, 40), gauge('requests', T0 + 2 * MINUTE, 200),
    ]);
    await telemetry.forceFlush();
    const math = { metrics: { m1: { metric: 'errors', dimensions: { service: 'gateway' }, stat: 'Sum' }, m2: { metric: 'requests', dimensions: { service: 'gateway' }, stat: 'Sum' } }, expression: 'm1 / m2 * 100' };
    const alarms = fx.make([metricAlarm('error-rate', { metric: 'm1 / m2 * 100', math, threshold: 10, evaluationPeriods: 2, datapointsToAlarm: 2 })], { telemetry });
    // WHEN each minute is evaluated
    const states: string[] = [];
    for (let i = 0; i < 3; i++) {
      await alarms.evaluateNow(afterPeriod(T0 + i * MINUTE));
      states.push(alarms.state('error-rate'));
    }
    // THEN the expression is what is compared, 2 of 2 periods above 10 %: OK, OK (1 of 2), then ALARM on 20 and 20
    expect(states).toEqual(['OK', 'OK', 'ALARM']);
    expect(String(fx.stateChanges('error-rate').at(-1)!.data.reason)).toMatch(/^Threshold Crossed: 2 out of the last 2 datapoints \[20\.0 \(01\/01\/26 00:02:00\), 20\.0 \(01\/01\/26 00:01:00\)\] were greater than the threshold \(10\.0\)/);
  });

  it('evaluates each alarm just after each of its periods closes, on one timer', async () => {
    // GIVEN fake timers at T0 and alarms with 10 s and 1 min periods, 1 s evaluation delay
    vi.useFakeTimers({ now: T0 + 500, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const alarms = fx.make([metricAlarm('fast', { periodMs: 10_000 }), metricAlarm('slow')], { clock: systemClock, evaluationDelayMs: 1000 });
    alarms.start();
    const evaluated = () => alarms.list().map((a) => (a.lastEvaluatedAtMs === undefined ? '-' : `${(a.lastEvaluatedAtMs - T0) / 1000}s`));
    expect(evaluated()).toEqual(['-', '-']);
    // WHEN time passes
    await vi.advanceTimersByTimeAsync(500);
    // THEN both ran 1 s after the boundary at T0 (the periods that closed then), in one round
    expect(evaluated()).toEqual(['1s', '1s']);
    expect(fx.metrics.calls.map((c) => c.periodMs)).toEqual([10_000, MINUTE]);
    // AND the 10 s alarm runs again at 11 s, the 1 min alarm not before 61 s
    await vi.advanceTimersByTimeAsync(10_000);
    expect(evaluated()).toEqual(['11s', '1s']);
    await vi.advanceTimersByTimeAsync(50_000);
    expect(evaluated()).toEqual(['61s', '61s']);
    // AND the due time is always one delay after the next boundary
    expect(nextDueMs(T0 + 61_000, MINUTE, 1000)).toBe(T0 + 121_000);
    expect(nextDueMs(T0 + 60_500, MINUTE, 1000)).toBe(T0 + 61_000);
  });
});
