import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createRouter, type Router } from './router.js';
import { closedPort, send, simpleTable, startBackend, type TestBackend } from './testing.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function backends(...names: string[]): Promise<TestBackend[]> {
  const list = await Promise.all(names.map((n) => startBackend(n)));
  for (const b of list) cleanups.push(() => b.close());
  return list;
}

function router(options: Parameters<typeof createRouter>[0] = {}): Router {
  const r = createRouter({ drainTimeoutMs: 200, ...options });
  cleanups.push(() => r.close());
  return r;
}

function portOf(r: Router, id = 'web'): number {
  return r.status().listeners.find((l) => l.id === id)!.port;
}

function targetGroupMetrics(r: Router, targetGroup: string) {
  return r.metrics().targetGroups.find((g) => g.dimensions.targetGroup === targetGroup)!;
}

describe('request path', () => {
  it('GIVEN one target WHEN proxying THEN forwarded headers are added, hop-by-hop ones stripped, the body streams', async () => {
    const [a] = await backends('a');
    const r = router();
    await r.applyTable(simpleTable(1, [{ id: 'blue', weightPercent: 100, ports: [a!.port] }]));
    const res = await send(portOf(r), '/echo?x=1', { method: 'POST', body: 'hello', headers: { 'x-forwarded-for': '10.0.0.1', 'proxy-authorization': 'secret', 'content-type': 'text/plain' } });
    // The target's keep-alive (timeout=5) is hop-by-hop: the client sees the router's own.
    expect([res.status, res.body, res.headers['x-backend'], res.headers['keep-alive']]).toEqual([200, 'a', 'a', 'timeout=65']);
    const seen = a!.seen[0]!;
    expect([seen.method, seen.url, seen.body]).toEqual(['POST', '/echo?x=1', 'hello']);
    expect(seen.headers['x-forwarded-for']).toBe('10.0.0.1, 127.0.0.1');
    expect(seen.headers['x-forwarded-proto']).toBe('http');
    expect(seen.headers['x-forwarded-host']).toBe(`127.0.0.1:${portOf(r)}`);
    expect(seen.headers['proxy-authorization']).toBeUndefined();
    const m = targetGroupMetrics(r, 'blue');
    expect([m.RequestCount, m.HTTPCode_Target_2XX_Count, m.TargetResponseTime.count, m.HealthyHostCount]).toEqual([1, 1, 1, 1]);
  });

  it('GIVEN requests with and without ids WHEN proxying THEN each reaches its target with an x-request-id and a W3C traceparent, its own kept', async () => {
    const [a] = await backends('a');
    const r = router();
    await r.applyTable(simpleTable(1, [{ id: 'blue', weightPercent: 100, ports: [a!.port] }]));
    const given = { 'x-request-id': 'req-1', traceparent: `00-${'4bf92f3577b34da6a3ce929d0e0e4736'}-00f067aa0ba902b7-01` };
    await send(portOf(r), '/one', { headers: given });
    await send(portOf(r), '/two');
    await send(portOf(r), '/three');
    const [kept, made, again] = a!.seen.map((x) => x.headers);
    expect([kept!['x-request-id'], kept!.traceparent]).toEqual([given['x-request-id'], given.traceparent]);
    expect(made!['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(made!.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    // Every request its own: new ids, a new trace
    expect(again!['x-request-id']).not.toBe(made!['x-request-id']);
    expect(again!.traceparent!.slice(3, 35)).not.toBe(made!.traceparent!.slice(3, 35));
  });

  it('GIVEN a group with no healthy target WHEN a request comes THEN 503 with a JSON body at once', async () => {
    const r = router();
    await r.applyTable(simpleTable(1, [{ id: 'blue', weightPercent: 100, ports: [] }]));
    const res = await send(portOf(r));
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body)).toEqual({ error: 'no healthy target', environment: 'prod', service: 'web' });
    const m = r.metrics().targetGroups.find((g) => g.dimensions.targetGroup === '')!;
    expect([m.HTTPCode_ELB_5XX_Count, m.HTTPCode_ELB_503_Count]).toEqual([1, 1]);
  });

  it('GIVEN a refused connection on one target WHEN a request comes THEN it is retried once on another target', async () => {
    const [a] = await backends('a');
    const dead = await closedPort();
    const r = router({ random: () => 0 });
    await r.applyTable(simpleTable(1, [{ id: 'blue', weightPercent: 100, ports: [dead, a!.port] }]));
    // Two requests: round-robin ties send one of them to the dead target first.
    const answers = [await send(portOf(r), '/', { method: 'POST', body: 'x' }), await send(portOf(r))];
    expect(answers.map((x) => [x.status, x.body])).toEqual([[200, 'a'], [200, 'a']]);
    expect(a!.seen.map((s) => s.body)).toEqual(['x', '']);
    expect(targetGroupMetrics(r, 'blue').HTTPCode_ELB_5XX_Count).toBe(0);
  });

  it('GIVEN only refused targets WHEN a request comes THEN 502 after one retry', async () => {
    const r = router();
    await r.applyTable(simpleTable(1, [{ id: 'blue', weightPercent: 100, ports: [await closedPort(), await closedPort()] }]));
    const res = await send(portOf(r));
    expect(res.status).toBe(502);
    expect(JSON.parse(res.body).error).toBe('target unreachable');
    const m = targetGroupMetrics(r, 'blue');
    expect([m.RequestCount, m.HTTPCode_ELB_502_Count, m.HTTPCode_ELB_5XX_Count]).toEqual([1, 1, 1]);
  });

  it('GIVEN a target slower than the timeout WHEN a request comes THEN 504', async () => {
    const [slow] = await backends('slow');
    slow!.hold = true;
    const r = router({ upstreamTimeoutMs: 150 });
    await r.applyTable(simpleTable(1, [{ id: 'blue', weightPercent: 100, ports: [slow!.port] }]));
    const res = await send(portOf(r));
    slow!.release();
    expect(res.status).toBe(504);
    expect(targetGroupMetrics(r, 'blue').HTTPCode_ELB_504_Count).toBe(1);
  });

  it('GIVEN a request in flight on blue WHEN weights move to green THEN it finishes on blue and new requests go to green', async () => {
    const [blue, green] = await backends('blue', 'green');
    const r = router();
    await r.applyTable(
      simpleTable(1, [
        { id: 'blue', weightPercent: 100, ports: [blue!.port] },
        { id: 'green', weightPercent: 0, ports: [green!.port] },
      ]),
    );
    blue!.hold = true;
    const inFlight = send(portOf(r));
    await blue!.waitForRequests(1);
    await r.setWeights({ environment: 'prod', service: 'web', weights: { blue: 0, green: 100 } });
    const after = await send(portOf(r));
    blue!.release();
    expect([(await inFlight).body, after.body]).toEqual(['blue', 'green']);
    expect(r.verifyWeights('prod', 'web')).toMatchObject({ version: 2, weights: { blue: 0, green: 100 }, effectiveWeights: { blue: 0, green: 100 } });
  });

  it('GIVEN a request in flight on a target WHEN the target is removed THEN it drains: the request completes, no new ones arrive', async () => {
    const [old, next] = await backends('old', 'next');
    const r = router();
    await r.applyTable(simpleTable(1, [{ id: 'blue', weightPercent: 100, ports: [old!.port] }]));
    old!.hold = true;
    const inFlight = send(portOf(r));
    await old!.waitForRequests(1);
    await r.applyTable(simpleTable(2, [{ id: 'blue', weightPercent: 100, ports: [next!.port] }]));
    expect(r.status().drainingTargets).toEqual([{ id: 'blue-0', host: '127.0.0.1', port: old!.port, outstanding: 1 }]);
    const bodies = [(await send(portOf(r))).body, (await send(portOf(r))).body];
    old!.release();
    expect([(await inFlight).status, (await inFlight).body, ...bodies]).toEqual([200, 'old', 'next', 'next']);
    expect(old!.seen).toHaveLength(1);
  });

  it('GIVEN a mirror of 100% WHEN a request comes THEN the copy reaches the mirror group and its answer is discarded', async () => {
    const [live, shadow] = await backends('live', 'shadow');
    const r = router();
    await r.applyTable(
      simpleTable(
        1,
        [
          { id: 'blue', weightPercent: 100, ports: [live!.port] },
          { id: 'shadow', weightPercent: 0, ports: [shadow!.port] },
        ],
        { mirror: { targetGroupId: 'shadow', percent: 100 } },
      ),
    );
    const res = await send(portOf(r), '/things');
    await shadow!.waitForRequests(1);
    expect([res.body, shadow!.seen[0]!.url, shadow!.seen[0]!.headers['x-slipway-mirrored']]).toEqual(['live', '/things', '1']);
    await expect.poll(() => targetGroupMetrics(r, 'shadow').HTTPCode_Target_2XX_Count).toBe(1);
    expect(targetGroupMetrics(r, 'shadow').MirroredRequestCount).toBe(1);
  });

  it('GIVEN cookie stickiness WHEN a new client comes THEN the response pins it with a cookie', async () => {
    const [a, b] = await backends('a', 'b');
    const r = router({ random: () => 0.75 });
    await r.applyTable(
      simpleTable(
        1,
        [
          { id: 'a', weightPercent: 50, ports: [a!.port] },
          { id: 'b', weightPercent: 50, ports: [b!.port] },
        ],
        { stickiness: { cookie: 'slw', ttlMs: 3_600_000 } },
      ),
    );
    const first = await send(portOf(r));
    const back = await send(portOf(r), '/', { headers: { cookie: 'slw=a' } });
    expect([first.body, first.headers['set-cookie'], back.body, back.headers['set-cookie']]).toEqual(['b', 'slw=b; Max-Age=3600; Path=/; HttpOnly; SameSite=Lax', 'a', undefined]);
  });

  it('GIVEN an ingress listener WHEN paths come THEN the longest prefix wins and unmatched paths get 404', async () => {
    const [web, api] = await backends('web', 'api');
    const r = router();
    await r.applyTable({
      version: 1,
      listeners: [{ id: 'in', port: 0, kind: 'ingress', environment: 'prod', rules: [{ pathPrefix: '/api', service: 'api' }, { pathPrefix: '/app', service: 'web' }] }],
      services: [
        { environment: 'prod', service: 'web', targetGroups: [{ id: 'w', revision: '1', weightPercent: 100, targets: [{ id: 'w0', port: web!.port }] }] },
        { environment: 'prod', service: 'api', targetGroups: [{ id: 'a', revision: '1', weightPercent: 100, targets: [{ id: 'a0', port: api!.port }] }] },
      ],
    });
    const p = portOf(r, 'in');
    const got = await Promise.all(['/api/x', '/app', '/apiary', '/'].map((path) => send(p, path)));
    expect(got.map((g) => [g.status, g.status === 200 ? g.body : JSON.parse(g.body).error])).toEqual([[200, 'api'], [200, 'web'], [404, 'no route'], [404, 'no route']]);
  });

  it('GIVEN a test listener WHEN a request comes THEN it goes to the chosen green group whatever the weights', async () => {
    const [blue, green] = await backends('blue', 'green');
    const r = router();
    const table = simpleTable(1, [
      { id: 'blue', weightPercent: 100, ports: [blue!.port] },
      { id: 'green', weightPercent: 0, ports: [green!.port] },
    ]);
    await r.applyTable({ ...table, listeners: [...table.listeners, { id: 'test', port: 0, kind: 'test', environment: 'prod', service: 'web', targetGroupId: 'green' }] });
    expect([(await send(portOf(r))).body, (await send(portOf(r, 'test'))).body]).toEqual(['blue', 'green']);
  });

  it('GIVEN a listener WHEN a client keeps a connection open THEN ActiveConnectionCount counts it', async () => {
    const [a] = await backends('a');
    const r = router();
    await r.applyTable(simpleTable(1, [{ id: 'blue', weightPercent: 100, ports: [a!.port] }]));
    const agent = new http.Agent({ keepAlive: true });
    await new Promise<void>((resolve) => http.get({ host: '127.0.0.1', port: portOf(r), agent }, (res) => res.resume().on('end', resolve)));
    expect(r.metrics().listeners[0]).toMatchObject({ listener: 'web', ActiveConnectionCount: 1, NewConnectionCount: 1 });
    agent.destroy();
    await expect.poll(() => r.metrics().listeners[0]!.ActiveConnectionCount).toBe(0);
  });
});
