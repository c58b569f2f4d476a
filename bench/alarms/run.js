// Alarms benchmark: one evaluation round of 500 alarms over a real telemetry store holding 1M points.
//   npm run build && node bench/alarms/run.js [--rounds 7] [--points 1000000] [--series 250] [--dist dist] [--baseline-dist DIR]
// 250 gauge series (metric RequestLatency, dimensions service × environment). Per series one metric
// alarm on Average (3 of 5); 200 series also have a p99 alarm and 50 an anomaly alarm on Average
// (sharing its query with the Average alarm): 500 alarms, 450 distinct queries per round.
// Prints the cold round (anomaly models trained) and the median of the warm rounds, against a
// baseline measured in the same run: one telemetry query per alarm, nothing else. With
// --baseline-dist (a dist/ built from an earlier commit), a second store is loaded by that code and
// its rounds run interleaved with this code's (the order alternates), printing both and new/old.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '../..');
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '7' }, points: { type: 'string', default: '1000000' }, series: { type: 'string', default: '250' }, dist: { type: 'string', default: path.join(root, 'dist') }, 'baseline-dist': { type: 'string' } } });
const rounds = Number(values.rounds);
const totalPoints = Number(values.points);
const seriesCount = Number(values.series);
const dist = path.resolve(values.dist);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;
const MINUTE = 60_000;
const perSeries = Math.floor(totalPoints / seriesCount);
const stepMs = 15_000;
const startMs = Date.UTC(2026, 0, 1);
const endMs = startMs + perSeries * stepMs;
const dims = (i) => ({ service: `svc-${Math.floor(i / 5)}`, environment: `env-${i % 5}` });

const alarms = {};
const metric = (name, i, fields) => {
  const { service, environment } = dims(i);
  alarms[name] = { name, description: undefined, notify: [], metric: 'RequestLatency', service, environment, stat: 'Average', periodMs: MINUTE, evaluationPeriods: 5, datapointsToAlarm: 3, treatMissingData: 'missing', kind: 'Metric', threshold: 125, comparison: 'GreaterThanThreshold', ...fields };
};
for (let i = 0; i < seriesCount; i++) metric(`avg-${i}`, i, {});
for (let i = 0; i < 200; i++) metric(`p99-${i}`, i, { stat: 'p99', threshold: 140 });
for (let i = 0; i < 50; i++) {
  const rest = { ...alarms[`avg-${i}`] };
  delete rest.threshold;
  alarms[`anomaly-${i}`] = { ...rest, name: `anomaly-${i}`, kind: 'Anomaly', band: 3, evaluationPeriods: 1, datapointsToAlarm: 1, comparison: 'LessThanLowerOrGreaterThanUpperThreshold' };
}
const alarmCount = Object.keys(alarms).length;
// The first round trains the 50 anomaly models from their history (up to 7 days at 1 min).
const evalStart = startMs + 2 * 86_400_000 > endMs ? endMs - 30 * MINUTE : startMs + 2 * 86_400_000;
const firstNow = Math.floor(evalStart / MINUTE) * MINUTE + 1000;

// One store and alarm context per implementation: `dist` (new) and, when given, the baseline's (old).
async function setUp(label, distRoot) {
  if (!fs.existsSync(path.join(distRoot, 'src/alarms/index.js'))) {
    console.error(`missing ${path.join(distRoot, 'src/alarms/index.js')}: run \`npm run build\` first`);
    process.exit(1);
  }
  const { createTelemetry } = await import(path.join(distRoot, 'src/telemetry/index.js'));
  const { createAlarms, evaluationWindow } = await import(path.join(distRoot, 'src/alarms/index.js'));
  const { EventLog, ManualClock, eventMigrations, openDatabase } = await import(path.join(distRoot, 'src/core/index.js'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `slipway-bench-alarms-${label}-`));
  const clock = new ManualClock(endMs);
  const telemetry = createTelemetry({ dataDir: dir, otlpPort: null, xrayPort: null, clock, retention: { metricsMs: 365 * 86_400_000 } });
  await telemetry.start();
  const t = performance.now();
  const batch = [];
  for (let k = 0; k < perSeries; k++) {
    const timeMs = startMs + k * stepMs;
    for (let i = 0; i < seriesCount; i++) {
      const { service, environment } = dims(i);
      const daily = 100 + 30 * Math.sin((2 * Math.PI * (timeMs % 86_400_000)) / 86_400_000);
      batch.push({ name: 'RequestLatency', unit: 'ms', description: '', kind: 'Gauge', service, resource: { 'service.name': service }, attributes: { environment }, timeMs, value: daily + ((k * 31 + i * 17) % 13) });
    }
    if (batch.length >= 20_000) telemetry.ingestMetricPoints(batch.splice(0));
  }
  telemetry.ingestMetricPoints(batch.splice(0));
  await telemetry.forceFlush();
  const ingestS = (performance.now() - t) / 1000;
  console.log(`${label}: stored ${perSeries * seriesCount} points in ${seriesCount} series in ${ingestS.toFixed(1)} s (${Math.round((perSeries * seriesCount) / ingestS)} points/s)`);
  const db = openDatabase(path.join(dir, 'slipway.db'), { migrations: eventMigrations });
  const events = new EventLog(db, { clock });
  const context = createAlarms({ app: { alarms, notifications: {} }, db, events, clock, telemetry });
  const ms = performance.now();
  const cold = await context.evaluateNow(firstNow);
  return { label, dir, telemetry, context, db, evaluationWindow, cold, coldMs: performance.now() - ms, warm: [], base: [], one: [] };
}

const impls = [await setUp('new', dist)];
if (values['baseline-dist'] !== undefined) impls.push(await setUp('old', path.resolve(values['baseline-dist'])));

let now = firstNow;
for (let r = 0; r < rounds; r++) {
  now += MINUTE;
  const order = r % 2 === 0 ? impls : [...impls].reverse();
  for (const impl of order) {
    let t = performance.now();
    const res = await impl.context.evaluateNow(now);
    impl.warm.push(performance.now() - t);
    if (res.errors > 0) console.error(`${impl.label} round ${r}: ${res.errors} errors`);
    // Baseline: the telemetry reads alone, one query per metric alarm, no grouping, no evaluation.
    t = performance.now();
    for (const a of Object.values(alarms)) {
      const window = impl.evaluationWindow(now, a.periodMs, a.evaluationPeriods);
      impl.telemetry.queryMetric({ name: a.metric, dimensions: { service: a.service, environment: a.environment }, stat: a.stat, periodMs: a.periodMs, startMs: window[0], endMs: window.at(-1) + a.periodMs });
    }
    impl.base.push(performance.now() - t);
  }
}
for (const impl of impls) {
  // Where the time goes: one query of the 450, timed alone.
  for (let r = 0; r < 200; r++) {
    const a = alarms[`avg-${r % seriesCount}`];
    const t = performance.now();
    impl.telemetry.queryMetric({ name: a.metric, dimensions: { service: a.service, environment: a.environment }, stat: a.stat, periodMs: a.periodMs, startMs: now - 8 * MINUTE, endMs: now - 1000 });
    impl.one.push(performance.now() - t);
  }
  const states = impl.context.list().reduce((acc, a) => ({ ...acc, [a.state]: (acc[a.state] ?? 0) + 1 }), {});
  impl.states = states;
}

console.log(`alarms: ${alarmCount} (${seriesCount} Average, 200 p99, 50 anomaly)`);
for (const impl of impls) {
  const warmMedian = median(impl.warm);
  console.log(`${impl.label}: queries per round ${impl.cold.queries}; states after the rounds ${JSON.stringify(impl.states)}`);
  console.log(`${impl.label}: cold round (anomaly models trained): ${impl.coldMs.toFixed(1)} ms`);
  console.log(`${impl.label}: evaluation round: median ${warmMedian.toFixed(1)} ms over ${rounds} rounds (${spread(impl.warm)}) — target < 80 ms: ${warmMedian < 80 ? 'met' : 'MISSED'}`);
  console.log(`${impl.label}: baseline, one telemetry query per alarm (${alarmCount} queries, no evaluation): median ${median(impl.base).toFixed(1)} ms (${spread(impl.base)}); ratio round/baseline ${(warmMedian / median(impl.base)).toFixed(2)}`);
  console.log(`${impl.label}: one telemetry query alone: median ${median(impl.one).toFixed(3)} ms`);
}
if (impls.length > 1) console.log(`evaluation round new/old: ${(median(impls[0].warm) / median(impls[1].warm)).toFixed(2)}×`);

for (const impl of impls) {
  await impl.context.close();
  impl.db.close();
  await impl.telemetry.shutdown();
  fs.rmSync(impl.dir, { recursive: true, force: true });
}
