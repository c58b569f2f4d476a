// One round of the rollback benchmark (run.js runs several, interleaving builds): time from an alarm
// going to ALARM to 100% of the traffic back on the old revision, with the control plane of one build.
//   node bench/rollback/round.js --dist DIR [--runs 20] [--connections 4] [--no-load] [--label NAME]
// A control plane (in this process, from DIR) runs the example shop; each run deploys a new revision of
// payments as a canary at 50%, appends `alarm.state.changed` (ALARM) to the event log, and waits
// for the rollback. Per run it records the engine's `rollbackMs` (alarm notification → router
// confirmed 100% on the old revision, verified with verifyWeights) and the time from the append
// to the rollback's traffic event. Baseline in the same run: the router admin API's round trip
// (verifyWeights), the floor of any confirmed switch. Steady light load runs through the ingress
// unless --no-load. Per-run lines go to stderr; the last stdout line is `RESULT <json>` for run.js.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '../..');
const shop = path.join(root, 'examples/shop');

const { values } = parseArgs({
  options: {
    dist: { type: 'string', default: path.join(root, 'dist') },
    label: { type: 'string', default: 'current' },
    runs: { type: 'string', default: '20' },
    connections: { type: 'string', default: '4' },
    'no-load': { type: 'boolean', default: false },
  },
});
const serverIndex = path.join(path.resolve(values.dist), 'src/server/index.js');
const runs = Number(values.runs);
if (!fs.existsSync(serverIndex)) {
  console.error(`missing ${path.relative(process.cwd(), serverIndex)}: run \`npm run build\` first`);
  process.exit(1);
}
const { startControlPlane } = await import(serverIndex);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-bench-rollback-'));
const health = { path: '/healthz', interval: '300ms', timeout: '250ms', healthyThreshold: 1, unhealthyThreshold: 3, gracePeriod: '5s' };
const service = (name, env, ingress = false) => ({
  path: path.join(shop, 'services', name),
  start: 'node server.js',
  health,
  scaling: { min: 1, max: 1 },
  ...(ingress ? { ingress: { pathPrefix: '/' } } : {}),
  ...(env ? { env } : {}),
});
const config = {
  name: 'shop',
  services: {
    gateway: service('gateway', { CATALOG_URL: '${services.catalog.url}', ORDERS_URL: '${services.orders.url}' }, true),
    catalog: service('catalog'),
    orders: service('orders', { CATALOG_URL: '${services.catalog.url}', PAYMENTS_URL: '${services.payments.url}' }),
    payments: service('payments', { PAYMENTS_LATENCY_MS: '5' }),
  },
  environments: { production: { ingressPort: 0, rollbackOn: ['payments-5xx'] } },
  alarms: { 'payments-5xx': { metric: 'HTTPCode_Target_5XX_Count', service: 'payments', stat: 'Sum', period: '10s', threshold: 5, evaluationPeriods: 1 } },
};
const configFile = path.join(tmp, 'slipway.config.json');
fs.writeFileSync(configFile, JSON.stringify(config, null, 2));

const cp = await startControlPlane({ dataDir: path.join(tmp, 'data'), port: 0, configFile, drainMs: 100 });
const envs = cp.runtime.environments;
const router = cp.runtime.router.client;

/** Resolves with the first event (now or later) that matches. */
function nextEvent(match, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error('timed out waiting for an event'));
    }, timeoutMs);
    const off = cp.events.subscribe((e) => {
      if (!match(e)) return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });
}
const fmt = (n) => n.toFixed(1);

let load;
try {
  await new Promise((resolve) => {
    const check = () => {
      const hs = Object.keys(config.services).map((s) => envs.revisions.list({ environment: 'production', service: s })[0]).map((r) => r && envs.revisionHealth('production', r.service, r.revision));
      if (hs.every((h) => h && h.healthyCount === 1 && h.routed)) resolve();
      else setTimeout(check, 100);
    };
    check();
  });
  const status = await cp.runtime.status();
  const ingress = status.router.listeners.find((l) => l.kind === 'ingress').port;
  if (!values['no-load']) {
    load = autocannon({
      url: `http://127.0.0.1:${ingress}`,
      connections: Number(values.connections),
      duration: 3600,
      requests: [
        { method: 'GET', path: '/api/products?limit=5' },
        { method: 'POST', path: '/api/checkout', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ productId: 3, quantity: 1, card: '4242 4242 4242 4242' }) },
      ],
    });
  }

  const baseline = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await router.verifyWeights('production', 'payments');
    baseline.push(performance.now() - t);
  }

  const engine = [];
  const endToEnd = [];
  const phases = [];
  for (let i = 0; i < runs; i++) {
    const revision = `bench-${i}`;
    const d = cp.runtime.deployments.service.start({ service: 'payments', environment: 'production', revision, strategy: { type: 'canary', steps: [50, 100], interval: '10m' } });
    await nextEvent((e) => e.subject === `deployment/${d.id}` && e.type === 'deployment.traffic.shifted');
    const restored = nextEvent((e) => e.subject === `deployment/${d.id}` && e.type === 'deployment.traffic.shifted' && e.data.rollbackMs !== undefined);
    const done = nextEvent((e) => e.subject === `deployment/${d.id}` && e.type === 'deployment.rolled_back');
    const t = performance.now();
    cp.events.append({ type: 'alarm.state.changed', subject: 'alarm/payments-5xx', data: { alarm: 'payments-5xx', state: 'ALARM' } });
    const shift = await restored;
    endToEnd.push(performance.now() - t);
    engine.push(shift.data.rollbackMs);
    phases.push(shift.data.phases);
    if (shift.data.confirmed !== true) throw new Error(`run ${i}: the router did not confirm 100% on the old revision`);
    await done;
    cp.events.append({ type: 'alarm.state.changed', subject: 'alarm/payments-5xx', data: { alarm: 'payments-5xx', state: 'OK' } });
    console.error(`${values.label} run ${String(i + 1).padStart(2)}: rollbackMs ${fmt(shift.data.rollbackMs)}  append→traffic event ${fmt(endToEnd.at(-1))} ms  phases ${JSON.stringify(shift.data.phases)}`);
  }
  const loadResult = load ? (load.stop(), await load) : undefined;

  // The router's own cost of a weight change, with the rollback's table: this build's setWeights
  // against pushing the same change as a whole table, alternating, in a router of this process
  // with a state directory (so each persists as that build does). Wall time and CPU time per call.
  const { createRouter } = await import(path.join(path.resolve(values.dist), 'src/router/index.js'));
  const { table } = await router.table();
  const local = createRouter({ stateDir: path.join(tmp, 'bench-router'), drainTimeoutMs: 10 });
  const ports = table.listeners.map((l) => ({ ...l, port: 0 }));
  await local.applyTable({ ...table, version: 1, listeners: ports });
  const svc = table.services.find((s) => s.service === 'payments');
  const ids = svc.targetGroups.map((g) => g.id);
  const weightsAt = (i) => Object.fromEntries(ids.map((id, k) => [id, k === i % ids.length ? 100 : 0]));
  const setMs = [];
  const setCpuUs = [];
  const pushMs = [];
  const pushCpuUs = [];
  for (let i = 0; i < 200; i++) {
    let c = process.cpuUsage();
    let t = performance.now();
    await local.setWeights({ environment: 'production', service: 'payments', weights: weightsAt(i) });
    setMs.push(performance.now() - t);
    c = process.cpuUsage(c);
    setCpuUs.push(c.user + c.system);
    const current = local.table();
    const next = { ...current, version: current.version + 1, services: current.services.map((s) => (s.service !== 'payments' ? s : { ...s, targetGroups: s.targetGroups.map((g, k) => ({ ...g, weightPercent: k === (i + 1) % ids.length ? 100 : 0 })) })) };
    c = process.cpuUsage();
    t = performance.now();
    await local.applyTable(next);
    pushMs.push(performance.now() - t);
    c = process.cpuUsage(c);
    pushCpuUs.push(c.user + c.system);
  }
  await local.close();

  const result = {
    label: values.label,
    runs,
    engineMs: engine,
    endToEndMs: endToEnd,
    baselineMs: baseline,
    shiftStartedMs: phases.map((p) => p.shiftStartedMs),
    routerUpdateMs: phases.map((p) => p.routerUpdatedMs - p.shiftStartedMs),
    routerSetWeightsMs: setMs,
    routerSetWeightsCpuUs: setCpuUs,
    routerTablePushMs: pushMs,
    routerTablePushCpuUs: pushCpuUs,
    load: loadResult ? { requests: loadResult.requests.total, reqPerS: Math.round(loadResult.requests.average), non2xx: loadResult.non2xx, errors: loadResult.errors } : null,
    loadAverage: os.loadavg(),
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
} finally {
  if (load) load.stop();
  await cp.close({ stopTasks: true });
  fs.rmSync(tmp, { recursive: true, force: true });
}
