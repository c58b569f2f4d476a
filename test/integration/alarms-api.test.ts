import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/core/index.js';
import { createTelemetry, type MetricPoint } from '../../src/telemetry/index.js';
import { nextDueMs } from '../../src/alarms/index.js';
import { auth, testServer } from '../support/server.js';
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
