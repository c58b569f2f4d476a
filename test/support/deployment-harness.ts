import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { EventLog, openDatabase } from '../../src/core/index.js';
import { RouterClient, type RouterMetricsSnapshot } from '../../src/router/index.js';
import type { TestApi } from './api.js';
import { waitFor } from './temp-dir.js';

/** An event as the API returns it. */
export interface ApiEvent {
  seq: number;
  timeMs: number;
  type: string;
  subject: string;
  data: Record<string, unknown>;
}

/** Appends an `alarm.state.changed` event straight into a control plane's log, as an alarm engine in another process would. */
export function appendAlarmState(dataDir: string, alarm: string, state: 'OK' | 'ALARM'): { seq: number; timeMs: number } {
  const db = openDatabase(path.join(dataDir, 'slipway.db'));
  try {
    const e = new EventLog(db).append({ type: 'alarm.state.changed', subject: `alarm/${alarm}`, data: { alarm, newState: state, reason: 'set by a test' } });
    return { seq: e.seq, timeMs: e.timeMs };
  } finally {
    db.close();
  }
}

/** The router of a control plane's data directory, for its metrics. */
export function routerOf(dataDir: string): RouterClient {
  const token = fs.readFileSync(path.join(dataDir, 'router', 'token'), 'utf8').trim();
  return RouterClient.fromStateDir(path.join(dataDir, 'router'), token)!;
}

/** Sums a counter over the target groups that match. */
export function sumCounter(s: RouterMetricsSnapshot, counter: 'RequestCount' | 'HTTPCode_Target_5XX_Count' | 'HTTPCode_ELB_5XX_Count', match: (d: { service: string; revision: string }) => boolean = () => true): number {
  return s.targetGroups.filter((g) => match(g.dimensions)).reduce((a, g) => a + g[counter], 0);
}

/** The events of deployment `id`, over the API. */
export async function deploymentEventsOf(api: TestApi, id: number): Promise<ApiEvent[]> {
  return (await api.ok<{ events: ApiEvent[] }>('GET', `/api/v1/events?subject=deployment/${id}&limit=5000`)).events;
}

/** Waits (polling the API of an external control plane) until deployment `id` has an event of one of `types`. */
export function waitForDeploymentEvent(api: TestApi, id: number, types: readonly string[], timeoutMs = 45_000): Promise<ApiEvent> {
  return waitFor(
    `deployment ${id} to emit ${types.join(' or ')}`,
    async () => {
      const r = await api.call<{ events: ApiEvent[] }>('GET', `/api/v1/events?subject=deployment/${id}&limit=5000`).catch(() => undefined);
      return r?.status === 200 ? r.body.events.find((e) => types.includes(e.type)) : undefined;
    },
    timeoutMs,
    50,
  );
}

/** Steady load through the shop's ingress (browsing and checkouts), with its answers counted by status. */
export function shopLoad(ingressPort: number, connections = 6) {
  const load = autocannon({
    url: `http://127.0.0.1:${ingressPort}`,
    connections,
    duration: 60,
    timeout: 10,
    requests: [
      { method: 'GET', path: '/api/products?limit=5' },
      { method: 'POST', path: '/api/checkout', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ productId: 3, quantity: 1, card: '4242 4242 4242 4242' }) },
    ],
  });
  const codes = new Map<number, number>();
  const errors: string[] = [];
  load.on('response', (_c, statusCode) => codes.set(statusCode, (codes.get(statusCode) ?? 0) + 1));
  load.on('reqError', (err) => errors.push(err.message));
  return {
    async stop() {
      load.stop();
      const result = await load;
      const total = [...codes.values()].reduce((a, b) => a + b, 0);
      const fivexx = [...codes.entries()].filter(([c]) => c >= 500).reduce((a, [, n]) => a + n, 0);
      return { total, fivexx, byCode: Object.fromEntries(codes), errors, connectionErrors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx };
    },
  };
}
