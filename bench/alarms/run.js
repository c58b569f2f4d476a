// Alarms benchmark: one evaluation round of 500 alarms over a real telemetry store holding 1M points.
//   npm run build && node bench/alarms/run.js [--rounds 7] [--points 1000000] [--series 250] [--dist dist]
// 250 gauge series (metric RequestLatency, dimensions service × environment). Per series one metric
// alarm on Average (3 of 5); 200 series also have a p99 alarm and 50 an anomaly alarm on Average
// (sharing its query with the Average alarm): 500 alarms, 450 distinct queries per round.
// Prints the cold round (anomaly models trained) and the median of the warm rounds, against a
// baseline measured in the same run: one telemetry query per alarm, nothing else.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '../..');
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '7' }, points: { type: 'string', default: '1000000' }, series: { type: 'string', default: '250' }, dist: { type: 'string', default: path.join(root, 'dist') } } });
const rounds = Number(values.rounds);
const totalPoints = Number(values.points);
const seriesCount = Number(values.series);
const dist = path.resolve(values.dist);
if (!fs.existsSync(path.join(dist, 'src/alarms/index.js'))) {
  console.error(`missing ${path.join(dist, 'src/alarms/index.js')}: run \`npm run build\` first`);
  process.exit(1);
}
const { createTelemetry } = await import(path.join(dist, 'src/telemetry/index.js'));
const { createAlarms, evaluationWindow } = await import(path.join(dist, 'src/alarms/index.js'));
const { EventLog, ManualClock, eventMigrations, openDatabase } = await import(path.join(dist, 'src/core/index.js'));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const MINUTE = 60_000;
const perSeries = Math.floor(totalPoints / seriesCount);
const stepMs = 15_000;
const startMs = Date.UTC(2026, 0, 1);
const endMs = startMs + perSeries * stepMs;
const dims = (i) => ({ service: `svc-${Math.floor(i / 5)}`, environment: `env-${i % 5}` });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-bench-alarms-'));
const clock = new ManualClock(endMs);
const telemetry = createTelemetry({ dataDir: dir, otlpPort: null, xrayPort: null, clock, retention: { metricsMs: 365 * 86_400_000 } });
await telemetry.start();

let t = performance.now();
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
console.log(`stored ${perSeries * seriesCount} points in ${seriesCount} series in ${ingestS.toFixed(1)} s (${Math.round((perSeries * seriesCount) / ingestS)} points/s)`);

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

const db = openDatabase(path.join(dir, 'slipway.db'), { migrations: eventMigrations });
const events = new EventLog(db, { clock });
const context = createAlarms({ app: { alarms, notifications: {} }, db, events, clock, telemetry });

// The first round trains the 50 anomaly models from their history (up to 7 days at 1 min).
const evalStart = startMs + 2 * 86_400_000 > endMs ? endMs - 30 * MINUTE : startMs + 2 * 86_400_000;
let now = Math.floor(evalStart / MINUTE) * MINUTE + 1000;
t = performance.now();
const cold = await context.evaluateNow(now);
const coldMs = performance.now() - t;
const warm = [];
for (let r = 0; r < rounds; r++) {
  now += MINUTE;
  t = performance.now();
  const res = await context.evaluateNow(now);
  warm.push(performance.now() - t);
  if (res.errors > 0) console.error(`round ${r}: ${res.errors} errors`);
}
const states = context.list().reduce((acc, a) => ({ ...acc, [a.state]: (acc[a.state] ?? 0) + 1 }), {});

// Baseline: the telemetry reads alone, one query per metric alarm, no grouping, no evaluation.
const base = [];
for (let r = 0; r < rounds; r++) {
  const at = now - r * MINUTE;
  t = performance.now();
  for (const a of Object.values(alarms)) {
    const window = evaluationWindow(at, a.periodMs, a.evaluationPeriods);
    telemetry.queryMetric({ name: a.metric, dimensions: { service: a.service, environment: a.environment }, stat: a.stat, periodMs: a.periodMs, startMs: window[0], endMs: window.at(-1) + a.periodMs });
  }
  base.push(performance.now() - t);
}
// Where the time goes: one query of the 450, timed alone.
const one = [];
for (let r = 0; r < 200; r++) {
  const a = alarms[`avg-${r % seriesCount}`];
  t = performance.now();
  telemetry.queryMetric({ name: a.metric, dimensions: { service: a.service, environment: a.environment }, stat: a.stat, periodMs: a.periodMs, startMs: now - 8 * MINUTE, endMs: now - 1000 });
  one.push(performance.now() - t);
}

const warmMedian = median(warm);
console.log(`alarms: ${alarmCount} (${seriesCount} Average, 200 p99, 50 anomaly); queries per round: ${cold.queries}; states after the rounds: ${JSON.stringify(states)}`);
console.log(`cold round (anomaly models trained): ${coldMs.toFixed(1)} ms`);
console.log(`evaluation round: median ${warmMedian.toFixed(1)} ms over ${rounds} rounds (min ${Math.min(...warm).toFixed(1)}, max ${Math.max(...warm).toFixed(1)}) — target < 200 ms: ${warmMedian < 200 ? 'met' : 'MISSED'}`);
console.log(`baseline, one telemetry query per alarm (${alarmCount} queries, no evaluation): median ${median(base).toFixed(1)} ms; ratio round/baseline ${(warmMedian / median(base)).toFixed(2)}`);
console.log(`one telemetry query alone: median ${median(one).toFixed(3)} ms`);

await context.close();
db.close();
await telemetry.shutdown();
fs.rmSync(dir, { recursive: true, force: true });
