import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nextEvent } from '../../src/core/index.js';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import { otlpServiceTypes, type OtlpSignal } from '../../src/telemetry/otlp/index.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

// Issue 12, finding 6: any local process could post HTTPCode_Target_5XX_Count = 100 for
// service=web, environment=production over OTLP/HTTP (or a segment over X-Ray UDP) and open an
// incident or roll back a healthy canary. These tests repeat that against a real control plane.

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');
const PERIOD_MS = 1000;
const JSON_TYPE = 'application/json';
const PROTO_TYPE = 'application/x-protobuf';
const ALARM = 'web-5xx';

function writeConfig(dir: string, telemetry?: Record<string, unknown>): string {
  const health = { path: '/healthz', interval: '1s', timeout: '900ms', healthyThreshold: 1, unhealthyThreshold: 5, gracePeriod: '5s' };
  const service = { path: FIXTURES, start: 'node ingest-service.mjs', health };
  const config = {
    name: 'ingest',
    services: { web: { ...service, ingress: { pathPrefix: '/' } }, worker: service },
    environments: { production: { ingressPort: 0 } },
    alarms: {
      // One period breaching opens it; no data is not breaching, so the alarm sits at OK.
      [ALARM]: { metric: 'HTTPCode_Target_5XX_Count', service: 'web', environment: 'production', stat: 'Sum', period: '1s', threshold: 5, evaluationPeriods: 1, treatMissingData: 'notBreaching' },
    },
    ...(telemetry ? { telemetry } : {}),
  };
  const file = path.join(dir, 'slipway.config.json');
  fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

const ns = (ms: number): string => (BigInt(Math.round(ms)) * 1_000_000n).toString();
const str = (key: string, value: string) => ({ key, value: { stringValue: value } });

/** The attack's payload: 100 target 5xx for web in production, as a delta sum. */
function fiveXx(resourceService = 'web', attributes: Record<string, string> = { service: 'web', environment: 'production' }) {
  return {
    resourceMetrics: [{
      resource: { attributes: [str('service.name', resourceService), str('deployment.environment.name', 'production')] },
      scopeMetrics: [{
        metrics: [{
          name: 'HTTPCode_Target_5XX_Count',
          sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints: [{ timeUnixNano: ns(Date.now()), asInt: '100', attributes: Object.entries(attributes).map(([k, v]) => str(k, v)) }] },
        }],
      }],
    }],
  };
}

function spans(traceId: string) {
  const now = Date.now();
  return { resourceSpans: [{ resource: { attributes: [str('service.name', 'web')] }, scopeSpans: [{ spans: [{ traceId, spanId: '1000000000000001', name: 'GET /', kind: 2, startTimeUnixNano: ns(now - 5), endTimeUnixNano: ns(now) }] }] }] };
}

function toProtobuf(signal: OtlpSignal, json: unknown): Buffer {
  const { request } = otlpServiceTypes(signal);
  return Buffer.from(request.encode(request.fromObject(json as Record<string, unknown>)).finish());
}

describe('telemetry ingest: unauthenticated senders cannot move alarms, rollbacks or incidents', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function start(telemetry?: Record<string, unknown>): Promise<ControlPlane> {
    const tmp = tempDir('slipway-ingest-');
    cleanups.push(tmp.cleanup);
    const cp = await startControlPlane({ dataDir: path.join(tmp.path, 'data'), port: 0, configFile: writeConfig(tmp.path, telemetry), drainMs: 100 });
    cleanups.push(() => cp.close({ stopTasks: true }));
    // The alarm has evaluated once and sits at OK before anything is sent.
    await waitFor('the alarm at OK', () => (alarm(cp).state === 'OK' ? true : undefined), 20_000);
    return cp;
  }

  const alarm = (cp: ControlPlane) => cp.delivery!.alarms.list().find((a) => a.name === ALARM)!;
  const otlp = (cp: ControlPlane, signal: OtlpSignal, body: string | Buffer, headers: Record<string, string>) =>
    fetch(`http://127.0.0.1:${cp.ports.otlp}/v1/${signal}`, { method: 'POST', body, headers });
  const xray = async (cp: ControlPlane, header: Record<string, unknown>) => {
    const s = Date.now() / 1000;
    const segment = { name: 'web', id: '70de5b6f19ff9a0a', trace_id: '1-5759e988-bd862e3fe1be46a994272793', start_time: s - 0.01, end_time: s, http: { response: { status: 500 } }, fault: true };
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => socket.send(Buffer.from(`${JSON.stringify({ format: 'json', version: 1, ...header })}\n${JSON.stringify(segment)}`), cp.ports.xray, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
    socket.close();
  };
  /** Waits (on the evaluator's own record) until the alarm has evaluated the period of `sentMs` and `more` periods after it. */
  const evaluatedPast = (cp: ControlPlane, sentMs: number, more: number) =>
    waitFor(`${more + 1} evaluations after the attack`, () => {
      const lastMs = alarm(cp).lastEvaluatedAtMs ?? 0;
      return lastMs >= Math.floor(sentMs / PERIOD_MS) * PERIOD_MS + (more + 1) * PERIOD_MS ? true : undefined;
    }, 20_000);
  const movedToAlarm = (cp: ControlPlane) => cp.events.list({ type: 'alarm.state.changed' }).filter((e) => e.data.newState === 'ALARM');
  const incidents = (cp: ControlPlane) => cp.events.list({ type: 'incident.opened' });
  const sum5xx = (cp: ControlPlane, includeAnonymous: boolean) =>
    cp.telemetry
      .queryMetric({ name: 'HTTPCode_Target_5XX_Count', dimensions: { service: 'web', environment: 'production' }, stat: 'Sum', periodMs: 60_000, startMs: Date.now() - 600_000, endMs: Date.now() + 60_000, includeAnonymous })
      .values.reduce((a, b) => a + b, 0);

  it('refuses the attack without a key (OTLP JSON and protobuf, X-Ray, another service\'s key, the browser key) and the alarm stays OK', { timeout: 90_000 }, async () => {
    const cp = await start();

    // WHEN the 5xx datapoint is posted as OTLP/JSON without a key
    const json = await otlp(cp, 'metrics', JSON.stringify(fiveXx()), { 'content-type': JSON_TYPE });
    // THEN 401 with an OTLP google.rpc.Status: UNAUTHENTICATED (16), naming the code and where the key goes
    const status = (await json.json()) as { code: number; message: string };
    expect([json.status, status.code, json.headers.get('www-authenticate')]).toEqual([401, 16, 'SlipwayIngestKey header="x-slipway-ingest-key"']);
    expect(status.message).toMatch(/^no ingest key in the x-slipway-ingest-key header: .*\(SLW_ERR_OTLP_UNAUTHENTICATED\)$/);

    // WHEN the same goes as OTLP/protobuf THEN 401 with a protobuf Status (field 1 = 16)
    const proto = await otlp(cp, 'metrics', toProtobuf('metrics', fiveXx()), { 'content-type': PROTO_TYPE });
    const bytes = Buffer.from(await proto.arrayBuffer());
    expect([proto.status, proto.headers.get('content-type'), bytes[0], bytes[1]]).toEqual([401, PROTO_TYPE, 0x08, 16]);
    expect(bytes.toString('utf8')).toContain('SLW_ERR_OTLP_UNAUTHENTICATED');

    // WHEN the body does not even decode THEN still 401, not 400: the key is checked before the body is read
    expect((await otlp(cp, 'metrics', '{"resourceMetrics": [', { 'content-type': JSON_TYPE })).status).toBe(401);
    // WHEN a made-up key is sent THEN 401 too
    const forged = await otlp(cp, 'metrics', JSON.stringify(fiveXx()), { 'content-type': JSON_TYPE, 'x-slipway-ingest-key': 'f'.repeat(64) });
    expect([forged.status, ((await forged.json()) as { message: string }).message]).toEqual([401, 'the key in the x-slipway-ingest-key header is not an ingest key of this app (SLW_ERR_OTLP_UNAUTHENTICATED)']);

    // WHEN a web fault arrives as an X-Ray segment without a key, or with a made-up one THEN both are dropped
    await xray(cp, {});
    await xray(cp, { slipway_ingest_key: 'f'.repeat(64) });
    await waitFor('both datagrams counted', () => (cp.telemetry.status().counters.xray.datagrams === 2 ? true : undefined));
    expect(cp.telemetry.status().counters.xray).toEqual({ datagrams: 2, accepted: 0, rejected: 2, denied: 2 });

    // WHEN the worker's own key (a task's key) is used to write web's numbers, by resource or by dimension
    const keys = cp.telemetry.ingestKeys();
    const worker = { 'content-type': JSON_TYPE, 'x-slipway-ingest-key': keys.serviceKey('production', 'worker') };
    for (const body of [fiveXx('web'), fiveXx('worker', { service: 'web', environment: 'production' })]) {
      const r = await otlp(cp, 'metrics', JSON.stringify(body), worker);
      const answer = (await r.json()) as { partialSuccess: { rejectedDataPoints: string; errorMessage: string } };
      // THEN the point is rejected (not relabelled) and the sender is told why
      expect([r.status, answer.partialSuccess.rejectedDataPoints]).toEqual([200, '1']);
      expect(answer.partialSuccess.errorMessage).toMatch(/but the key is for service "worker" in environment "production" \(SLW_ERR_OTLP_SERVICE_MISMATCH\)$/);
    }

    // WHEN the browser key writes metrics THEN 403 PERMISSION_DENIED (7); its spans are accepted
    const rum = { 'content-type': JSON_TYPE, 'x-slipway-ingest-key': keys.browserKey('production', 'web') };
    const rumMetrics = await otlp(cp, 'metrics', JSON.stringify(fiveXx()), rum);
    expect([rumMetrics.status, await rumMetrics.json()]).toEqual([403, { code: 7, message: 'a browser key writes traces and logs, not metrics (SLW_ERR_OTLP_FORBIDDEN)' }]);
    const rumSpans = await otlp(cp, 'traces', JSON.stringify(spans('abababababababababababababababab')), rum);
    expect([rumSpans.status, await rumSpans.text()]).toEqual([200, '{}']);
    await cp.telemetry.forceFlush();
    expect(cp.telemetry.getTrace('abababababababababababababababab').spans).toHaveLength(1);
    const lastAttackMs = Date.now();

    // THEN over the next evaluation periods the alarm stays OK: nothing moved, no incident opened
    await evaluatedPast(cp, lastAttackMs, 2);
    expect([alarm(cp).state, movedToAlarm(cp), incidents(cp)]).toEqual(['OK', [], []]);
    await cp.telemetry.forceFlush();
    expect([sum5xx(cp, false), sum5xx(cp, true)]).toEqual([0, 0]);
    expect(cp.telemetry.status().counters.otlp.metrics).toMatchObject({ denied: 5, rejected: 2, accepted: 0 });

    // AND web's own task got its key from the supervisor: its OTLP log record is in
    await waitFor('the web task\'s telemetry', async () => {
      await cp.telemetry.forceFlush();
      const lines = cp.telemetry.tailLogs({ group: '/slipway/production/web' }).events.map((e) => e.message);
      return lines.includes('web started') && lines.includes('telemetry 200') ? true : undefined;
    }, 20_000);

    // WHEN the same datapoint comes with web's own service key (what web's task holds)
    const opened = nextEvent(cp.events, (e) => e.type === 'incident.opened', 20_000);
    const own = await otlp(cp, 'metrics', JSON.stringify(fiveXx()), { 'content-type': JSON_TYPE, 'x-slipway-ingest-key': keys.serviceKey('production', 'web') });
    expect([own.status, await own.text()]).toEqual([200, '{}']);
    // THEN it is stored as trusted, the alarm evaluates it and goes to ALARM, and an incident opens
    await opened;
    expect(movedToAlarm(cp)).toHaveLength(1);
    expect(incidents(cp)).toHaveLength(1);
    expect(sum5xx(cp, false)).toBe(100);
  });

  it('with telemetry.allowUnauthenticated the anonymous post is stored, and the alarm still does not move', { timeout: 90_000 }, async () => {
    const cp = await start({ allowUnauthenticated: true });

    // WHEN the attack is posted without a key, as JSON and as protobuf, and sent as an X-Ray segment
    const json = await otlp(cp, 'metrics', JSON.stringify(fiveXx()), { 'content-type': JSON_TYPE });
    const proto = await otlp(cp, 'metrics', toProtobuf('metrics', fiveXx()), { 'content-type': PROTO_TYPE });
    await xray(cp, {});
    const sentMs = Date.now();
    // THEN both OTLP requests are accepted, and so is the segment
    expect([json.status, await json.text(), proto.status]).toEqual([200, '{}', 200]);
    await waitFor('the segment accepted', () => (cp.telemetry.status().counters.xray.accepted === 1 ? true : undefined));
    // AND the points are stored, as anonymous: visible only when asked for
    await cp.telemetry.forceFlush();
    expect([sum5xx(cp, true), sum5xx(cp, false)]).toEqual([200, 0]);
    // AND a made-up key is refused even so
    expect((await otlp(cp, 'metrics', JSON.stringify(fiveXx()), { 'content-type': JSON_TYPE, 'x-slipway-ingest-key': 'nope' })).status).toBe(401);

    // THEN over the next evaluation periods the alarm stays OK and no incident opens
    await evaluatedPast(cp, sentMs, 2);
    expect([alarm(cp).state, movedToAlarm(cp), incidents(cp)]).toEqual(['OK', [], []]);

    // WHEN the app key (the user's tools) sends the same THEN the alarm, which is live, goes to ALARM
    const opened = nextEvent(cp.events, (e) => e.type === 'incident.opened', 20_000);
    const keyed = await otlp(cp, 'metrics', JSON.stringify(fiveXx()), { 'content-type': JSON_TYPE, 'x-slipway-ingest-key': cp.telemetry.ingestKeys().appKey });
    expect(keyed.status).toBe(200);
    await opened;
    expect([movedToAlarm(cp).length, incidents(cp).length, sum5xx(cp, false)]).toEqual([1, 1, 100]);
  });
});
