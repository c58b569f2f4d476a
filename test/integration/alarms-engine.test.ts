import { afterEach, describe, expect, it } from 'vitest';
import { afterPeriod, alarmsFixture, anomalyAlarm, compositeAlarm, metricAlarm, MINUTE, T0 } from './alarms-harness.js';
import { deploymentPayload } from '../support/event-payloads.js';

describe('alarm engine: metric alarms', () => {
  let fx = alarmsFixture();
  afterEach(async () => {
    await fx.close();
    fx = alarmsFixture();
  });

  it('walks every transition of a 2-of-3 alarm, one round per closed period', async () => {
    // GIVEN gateway-5xx: Sum > 5 in 2 of the last 3 one-minute periods
    const alarms = fx.make([metricAlarm('gateway-5xx', { evaluationPeriods: 3, datapointsToAlarm: 2 })]);
    const series = [1, 9, 2, 7, 8, 0, 1, 0];
    const states: string[] = [];
    // WHEN each period's datapoint arrives and the evaluator runs just after the period closes
    for (const [i, v] of series.entries()) {
      const periodStart = T0 + i * MINUTE;
      fx.metrics.set('Errors', periodStart, v);
      await alarms.evaluateNow(afterPeriod(periodStart));
      states.push(alarms.state('gateway-5xx'));
    }
    // THEN the state follows CloudWatch's M-of-N rule over the real datapoints
    //          [1]   [1,9]  [1,9,2] [9,2,7]  [2,7,8] [7,8,0] [8,0,1] [0,1,0]
    expect(states).toEqual(['OK', 'OK', 'OK', 'ALARM', 'ALARM', 'ALARM', 'OK', 'OK']);
    const changes = fx.stateChanges('gateway-5xx').map((e) => `${String(e.data.oldState)}>${String(e.data.newState)}`);
    expect(changes).toEqual(['INSUFFICIENT_DATA>OK', 'OK>ALARM', 'ALARM>OK']);
    const alarmed = fx.stateChanges('gateway-5xx')[1]!;
    expect(alarmed.subject).toBe('alarm/gateway-5xx');
    expect(alarmed.data).toMatchObject({ alarm: 'gateway-5xx', kind: 'Metric', service: 'gateway', environment: 'production', muted: false });
    expect(String(alarmed.data.reason)).toMatch(/^Threshold Crossed: 2 out of the last 3 datapoints \[7\.0 \(01\/01\/26 00:03:00\), 9\.0 \(01\/01\/26 00:01:00\)\] were greater than the threshold \(5\.0\)/);
    // AND the history holds each change, newest first
    const history = alarms.history('gateway-5xx').filter((h) => h.type === 'StateUpdate');
    expect(history.map((h) => h.newState)).toEqual(['OK', 'ALARM', 'OK']);
  });

  it('queries the alarm service and environment as dimensions, once per shared series', async () => {
    // GIVEN three alarms on the same series and one on another environment
    const alarms = fx.make([
      metricAlarm('a', { threshold: 1 }),
      metricAlarm('b', { threshold: 10, evaluationPeriods: 3, datapointsToAlarm: 1 }),
      metricAlarm('c', { threshold: 100 }),
      metricAlarm('staging', { environment: 'staging' }),
    ]);
    fx.metrics.set('Errors', T0, 50);
    // WHEN one round runs
    const round = await alarms.evaluateNow(afterPeriod(T0));
    // THEN two queries served four alarms, with the widest window of the group
    expect(round).toMatchObject({ evaluated: 4, queries: 2, errors: 0 });
    expect(fx.metrics.calls.map((c) => c.dimensions)).toEqual([{ service: 'gateway', environment: 'production' }, { service: 'gateway', environment: 'staging' }]);
    expect(fx.metrics.calls[0]).toMatchObject({ name: 'Errors', stat: 'Sum', periodMs: MINUTE, startMs: T0 - 4 * MINUTE, endMs: T0 + MINUTE });
    expect(['a', 'b', 'c', 'staging'].map((n) => alarms.state(n))).toEqual(['ALARM', 'ALARM', 'OK', 'INSUFFICIENT_DATA']);
  });

  it.each([
    ['missing', 'INSUFFICIENT_DATA', 'INSUFFICIENT_DATA'],
    ['notBreaching', 'OK', 'OK'],
    ['breaching', 'ALARM', 'ALARM'],
    ['ignore', 'INSUFFICIENT_DATA', 'OK'],
  ] as const)('treats missing data as %s: no data at all → %s; data that stops after OK → %s', async (mode, noData, afterStop) => {
    // GIVEN two 3-of-3 alarms with treatMissingData = mode: one on a metric that does not exist yet
    const alarms = fx.make([
      metricAlarm('never', { metric: 'NotYetPublished', treatMissingData: mode, evaluationPeriods: 3, datapointsToAlarm: 3 }),
      metricAlarm('stops', { treatMissingData: mode, evaluationPeriods: 3, datapointsToAlarm: 3 }),
    ]);
    // WHEN the second one sees 3 good periods and then nothing for 5 periods
    fx.metrics.setSeries('Errors', T0, MINUTE, [0, 0, 0]);
    await alarms.evaluateNow(afterPeriod(T0 + 2 * MINUTE));
    expect(alarms.state('stops')).toBe('OK');
    const round = await alarms.evaluateNow(afterPeriod(T0 + 7 * MINUTE));
    // THEN a metric that does not exist is not an error, and each mode decides as CloudWatch does
    expect(round.errors).toBe(0);
    expect(alarms.state('never')).toBe(noData);
    expect(alarms.state('stops')).toBe(afterStop);
    expect(alarms.list().find((a) => a.name === 'never')?.error).toBeUndefined();
  });

  it('reports an alarm that cannot be evaluated and an evaluation that failed, and keeps evaluating the others', async () => {
    // GIVEN an alarm with an unknown statistic next to a good one
    const alarms = fx.make([metricAlarm('bad-stat', { stat: 'Median' }), metricAlarm('good')]);
    fx.metrics.set('Errors', T0, 9);
    // WHEN a round runs
    await alarms.evaluateNow(afterPeriod(T0));
    // THEN the bad one says why, the good one alarms
    const bad = alarms.list().find((a) => a.name === 'bad-stat')!;
    expect(bad.state).toBe('INSUFFICIENT_DATA');
    expect(bad.error).toMatch(/^Cannot evaluate: stat: "Median" is not a statistic/);
    expect(alarms.state('good')).toBe('ALARM');
    // WHEN telemetry fails
    fx.metrics.failWith = new Error('disk I/O error');
    const round = await alarms.evaluateNow(afterPeriod(T0 + MINUTE));
    // THEN the round completes, the state is kept and the reason and history say so
    expect(round.errors).toBe(1);
    const good = alarms.list().find((a) => a.name === 'good')!;
    expect(good).toMatchObject({ state: 'ALARM', error: 'the metric query failed: disk I/O error' });
    expect(good.reason).toBe('Evaluation error: the metric query failed: disk I/O error');
    expect(alarms.history('good')[0]).toMatchObject({ type: 'Error' });
  });

  it('keeps state across a restart of the control plane', async () => {
    // GIVEN an alarm in ALARM
    const first = fx.make([metricAlarm('gateway-5xx')]);
    fx.metrics.set('Errors', T0, 9);
    await first.evaluateNow(afterPeriod(T0));
    await first.close();
    // WHEN the context is created again on the same database
    const second = fx.make([metricAlarm('gateway-5xx')]);
    // THEN it remembers the state, and the next evaluation of the same data changes nothing
    expect(second.state('gateway-5xx')).toBe('ALARM');
    await second.evaluateNow(afterPeriod(T0));
    expect(fx.stateChanges()).toHaveLength(1);
  });
});

describe('alarm engine: composite and anomaly alarms', () => {
  let fx = alarmsFixture();
  afterEach(async () => {
    await fx.close();
    fx = alarmsFixture();
  });

  it('evaluates composites after their children each round, composites of composites included', async () => {
    // GIVEN errors and latency alarms, a composite `ALARM(errors) AND NOT OK(latency)` and one on top of it
    const alarms = fx.make([
      compositeAlarm('top', 'ALARM(both) OR ALARM(latency)'),
      compositeAlarm('both', 'ALARM(errors) AND NOT OK(latency)'),
      metricAlarm('errors'),
      metricAlarm('latency', { metric: 'Latency', threshold: 300 }),
    ]);
    const step = async (i: number, errors: number | null, latency: number | null) => {
      if (errors !== null) fx.metrics.set('Errors', T0 + i * MINUTE, errors);
      if (latency !== null) fx.metrics.set('Latency', T0 + i * MINUTE, latency);
      await alarms.evaluateNow(afterPeriod(T0 + i * MINUTE));
      return ['errors', 'latency', 'both', 'top'].map((n) => alarms.state(n)).join(' ');
    };
    // WHEN errors alarm while latency has no data, then latency is fine, then latency alarms, then all recover
    // THEN NOT OK(latency) holds for INSUFFICIENT_DATA and ALARM, and the parent follows in the same round
    expect(await step(0, 9, null)).toBe('ALARM INSUFFICIENT_DATA ALARM ALARM');
    expect(await step(1, 9, 100)).toBe('ALARM OK OK OK');
    expect(await step(2, 9, 500)).toBe('ALARM ALARM ALARM ALARM');
    expect(await step(3, 0, 100)).toBe('OK OK OK OK');
    const both = fx.stateChanges('both');
    expect(both.map((e) => e.data.newState)).toEqual(['ALARM', 'OK', 'ALARM', 'OK']);
    expect(both[0]!.data.reason).toBe('Composite rule ALARM(errors) AND NOT OK(latency) is TRUE: errors is ALARM, latency is INSUFFICIENT_DATA.');
    // AND a composite whose children watch one service carries it
    expect(both[0]!.data).toMatchObject({ kind: 'Composite', service: 'gateway', environment: 'production' });
  });

  it('alarms when a datapoint leaves the band learned from the metric history, and waits for enough history', async () => {
    // GIVEN latency with a daily pattern (100 ± 40 ms) and small noise, every minute for two days
    const periodMs = 5 * MINUTE;
    const alarms = fx.make([anomalyAlarm('latency-anomaly', { periodMs, band: 3 }), anomalyAlarm('new-metric', { metric: 'Fresh', periodMs })]);
    const start = T0;
    const days = 2;
    const pattern = (t: number) => 100 + 40 * Math.sin((2 * Math.PI * (t % 86_400_000)) / 86_400_000);
    const noise = (i: number) => ((i * 7919) % 11) - 5;
    const n = (days * 86_400_000) / periodMs;
    for (let i = 0; i < n; i++) fx.metrics.set('Latency', start + i * periodMs, pattern(start + i * periodMs) + noise(i));
    fx.metrics.set('Fresh', start + (n - 1) * periodMs, 1);
    // WHEN the next period follows the pattern
    const next = start + n * periodMs;
    fx.metrics.set('Latency', next, pattern(next) + 2);
    await alarms.evaluateNow(afterPeriod(next, periodMs));
    // THEN it is inside the band; the metric with one datapoint of history cannot be judged yet
    expect(alarms.state('latency-anomaly')).toBe('OK');
    const fresh = alarms.list().find((a) => a.name === 'new-metric')!;
    expect(fresh.state).toBe('INSUFFICIENT_DATA');
    expect(fresh.reason).toMatch(/anomaly model needs at least 5 datapoints of history, found \d/);
    // WHEN the next period spikes to three times the expected value
    fx.metrics.set('Latency', next + periodMs, pattern(next + periodMs) * 3);
    await alarms.evaluateNow(afterPeriod(next + periodMs, periodMs));
    // THEN the alarm fires, and its reason names the band
    expect(alarms.state('latency-anomaly')).toBe('ALARM');
    expect(String(fx.stateChanges('latency-anomaly').at(-1)!.data.reason)).toMatch(/^Thresholds Crossed: 1 out of the last 1 datapoints \[302\.\d+ \(03\/01\/26 00:05:00\)\] was less than the lower thresholds \[[\d.]+\] or greater than the upper thresholds \[[\d.]+\]/);
    // AND the model was trained once (one history query), then reused
    const historyQueries = fx.metrics.calls.filter((c) => c.name === 'Latency' && c.endMs - c.startMs > 10 * periodMs);
    expect(historyQueries).toHaveLength(1);
  });
});

describe('alarm engine: deployments and mutes', () => {
  let fx = alarmsFixture();
  afterEach(async () => {
    await fx.close();
    fx = alarmsFixture();
  });

  it('attributes a state change to the deployment of the service in progress, and only while it is', async () => {
    // GIVEN a deployment of gateway to production that started before the alarms context
    fx.events.append({ type: 'deployment.started', subject: 'deployment/42', data: deploymentPayload('deployment.started', { deploymentId: 42, service: 'gateway' }) });
    fx.events.append({ type: 'deployment.started', subject: 'deployment/43', data: deploymentPayload('deployment.started', { deploymentId: 43, service: 'catalog' }) });
    const alarms = fx.make([metricAlarm('gateway-5xx'), metricAlarm('catalog-5xx', { service: 'catalog' })]);
    // WHEN both alarms fire
    fx.metrics.set('Errors', T0, 9);
    fx.metrics.set('Errors', T0, 9, { service: 'catalog', environment: 'production' });
    await alarms.evaluateNow(afterPeriod(T0));
    // THEN each change names the deployment of its own service
    const [gw] = fx.stateChanges('gateway-5xx');
    expect(gw!.data.deploymentId).toBe(42);
    expect(String(gw!.data.reason)).toMatch(/The change happened during deployment 42 of gateway to production\.$/);
    expect(fx.stateChanges('catalog-5xx')[0]!.data.deploymentId).toBe(43);
    expect(alarms.history('gateway-5xx').find((h) => h.type === 'StateUpdate')?.data.deploymentId).toBe(42);
    // WHEN the gateway deployment rolls back and the alarm recovers afterwards
    fx.events.append({ type: 'deployment.rolled_back', subject: 'deployment/42', data: deploymentPayload('deployment.rolled_back', { deploymentId: 42, service: 'gateway' }) });
    fx.metrics.set('Errors', T0 + MINUTE, 0);
    await alarms.evaluateNow(afterPeriod(T0 + MINUTE));
    // THEN that change is not attributed to any deployment
    const recovered = fx.stateChanges('gateway-5xx')[1]!;
    expect(recovered.data.newState).toBe('OK');
    expect(recovered.data.deploymentId).toBeUndefined();
    expect(String(recovered.data.reason)).not.toMatch(/deployment/);
  });

  it('keeps evaluating a muted alarm but runs no actions, and says so in history', async () => {
    // GIVEN an alarm notifying a file topic, muted for 30 minutes
    const deliveries: string[] = [];
    const alarms = fx.make([metricAlarm('gateway-5xx', { notify: ['oncall'] })], {
      notifications: { oncall: [{ type: 'file', path: 'unused.jsonl' }] },
      transport: (m) => {
        deliveries.push(m.title);
        return Promise.resolve();
      },
    });
    const muted = alarms.mute('gateway-5xx', T0 + 30 * MINUTE);
    expect(muted).toMatchObject({ muted: true, mutedUntilMs: T0 + 30 * MINUTE });
    expect(fx.events.list({ type: 'alarm.muted' })[0]!.data).toMatchObject({ alarm: 'gateway-5xx', mutedUntilMs: T0 + 30 * MINUTE });
    // WHEN it fires while muted
    fx.metrics.set('Errors', T0, 9);
    await alarms.evaluateNow(afterPeriod(T0));
    await alarms.flushNotifications();
    // THEN the state and the event are recorded, marked muted, and nothing is delivered
    expect(alarms.state('gateway-5xx')).toBe('ALARM');
    expect(fx.stateChanges('gateway-5xx')[0]!.data).toMatchObject({ newState: 'ALARM', muted: true });
    expect(deliveries).toEqual([]);
    expect(alarms.history('gateway-5xx').map((h) => `${h.type}: ${h.summary}`)).toEqual([
      'Action: Actions not run: the alarm is muted until 2026-01-01T00:30:00.000Z',
      expect.stringMatching(/^StateUpdate: Alarm updated from INSUFFICIENT_DATA to ALARM: Threshold Crossed: 1 out of the last 1 datapoints/),
      'Mute: Actions muted until 2026-01-01T00:30:00.000Z',
    ]);
    // WHEN the mute ends (unmute) and it recovers
    alarms.unmute('gateway-5xx');
    fx.metrics.set('Errors', T0 + MINUTE, 0);
    await alarms.evaluateNow(afterPeriod(T0 + MINUTE));
    await alarms.flushNotifications();
    // THEN the action runs again
    expect(deliveries).toEqual(['OK: gateway-5xx (ALARM → OK)']);
    expect(() => alarms.mute('gateway-5xx', T0 - 1)).toThrow(/not in the future/);
    expect(() => alarms.mute('nope', T0 + MINUTE)).toThrow(/no alarm named "nope"/);
  });
});
