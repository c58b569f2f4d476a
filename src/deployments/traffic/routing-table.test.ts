import { describe, expect, it } from 'vitest';
import { buildRoutingTable, type EnvironmentRouting, type RoutableTask } from './routing-table.js';

const prod: EnvironmentRouting = {
  name: 'prod',
  ingressPort: 8080,
  testPort: 9080,
  ingressRules: [{ pathPrefix: '/', service: 'web' }, { pathPrefix: '/api/orders', service: 'orders' }],
  servicePorts: { web: 4001, orders: 4002 },
};
const task = (id: string, revision: string, state: string, port: number, service = 'web'): RoutableTask => ({ id, environment: 'prod', service, revision, port, state });

describe('buildRoutingTable', () => {
  it('registers only Healthy tasks (Unhealthy as unhealthy), leaves Starting and Stopping out, and keeps weights per revision', () => {
    // GIVEN two revisions of web at 90/10 and tasks in every state
    const table = buildRoutingTable(
      7,
      [prod],
      [
        { environment: 'prod', service: 'web', revision: 'a', weightPercent: 90 },
        { environment: 'prod', service: 'web', revision: 'b', weightPercent: 10, testTraffic: true },
      ],
      [task('a1', 'a', 'Healthy', 5001), task('a2', 'a', 'Stopping', 5002), task('a3', 'a', 'Unhealthy', 5003), task('b1', 'b', 'Starting', 5004), task('b2', 'b', 'Healthy', 5005)],
    );
    // THEN web has one group per revision with its weight and only its registered tasks
    expect(table.version).toBe(7);
    expect(table.services).toEqual([
      {
        environment: 'prod',
        service: 'web',
        targetGroups: [
          { id: 'prod.web.a', revision: 'a', weightPercent: 90, targets: [{ id: 'a1', host: '127.0.0.1', port: 5001, healthy: true }, { id: 'a3', host: '127.0.0.1', port: 5003, healthy: false }] },
          { id: 'prod.web.b', revision: 'b', weightPercent: 10, targets: [{ id: 'b2', host: '127.0.0.1', port: 5005, healthy: true }] },
        ],
      },
    ]);
    // AND orders, which runs nothing yet, gets neither a listener nor an ingress rule; the test listener points at b
    expect(table.listeners).toEqual([
      { id: 'prod.ingress', kind: 'ingress', environment: 'prod', port: 8080, rules: [{ pathPrefix: '/', service: 'web' }] },
      { id: 'prod.web', kind: 'service', environment: 'prod', service: 'web', port: 4001 },
      { id: 'prod.web.test', kind: 'test', environment: 'prod', service: 'web', port: 9080, targetGroupId: 'prod.web.b' },
    ]);
  });

  it('mirrors to a shadowed revision only while it has no real traffic', () => {
    const shadow = { id: 'deployment-3.step-1', percent: 20, methods: ['GET'], maxBodyBytes: 1024, maxConcurrent: 4, timeoutMs: 500, ignore: ['$.ts'], headers: true, body: 'auto' as const };
    const tasks = [task('a1', 'a', 'Healthy', 5001), task('b1', 'b', 'Healthy', 5002)];
    const at = (bWeight: number) =>
      buildRoutingTable(1, [prod], [
        { environment: 'prod', service: 'web', revision: 'a', weightPercent: 100 - bWeight },
        { environment: 'prod', service: 'web', revision: 'b', weightPercent: bWeight, shadow },
      ], tasks).services[0]!.mirror;
    // GIVEN revision b shadowed at 0 % WHEN the table is built THEN the service mirrors 20 % to b's group with the comparison
    expect(at(0)).toEqual({ targetGroupId: 'prod.web.b', percent: 20, methods: ['GET'], maxBodyBytes: 1024, maxConcurrent: 4, timeoutMs: 500, compare: { id: 'deployment-3.step-1', ignore: ['$.ts'], headers: true, body: 'auto' } });
    // GIVEN b has real traffic (promoted mid-shadow) THEN nothing is mirrored
    expect(at(10)).toBeUndefined();
  });
});
