import { actionName } from './action-names.js';
import { referencedAlarms } from './alarm-rule.js';
import { compileExperiment } from './compile-experiment.js';
import { compileFlag, compileFlagForEnvironment } from './compile-flag.js';
import { deepFreeze } from './deep-freeze.js';
import { parseDuration } from './duration.js';
import { envReferences } from './interpolation.js';
import { DEFAULT_LOAD_DURATION } from './check-pipeline-gates.js';
import { resolveLoadTarget } from './load-target.js';
import { parseAlarmRule } from './parse-alarm-rule.js';
import { LOAD_TEST_LIMITS } from './schema/pipeline.js';
import { resolveStrategy } from './resolve-strategy.js';
import { compileSubscription } from './compile-subscription.js';
import { compileOncall } from './compile-oncall.js';
import type {
  ResolvedAction,
  ResolvedAlarm,
  ResolvedApp,
  ResolvedEnvironment,
  ResolvedHook,
  ResolvedImage,
  ResolvedLoadTest,
  ResolvedMetricStat,
  ResolvedPipeline,
  ResolvedRum,
  ResolvedScaleAction,
  ResolvedScalingTarget,
  ResolvedService,
  ResolvedWidget,
} from './resolved.js';
import type { MetricStatDefinition } from './schema/metric-math.js';
import type { ParsedAppDefinition } from './schema/app.js';

type Parsed = ParsedAppDefinition;
type ServiceDef = Parsed['services'][string];
type EnvironmentDef = Parsed['environments'][string];
type AlarmDef = NonNullable<Parsed['alarms']>[string];
type ActionDef = NonNullable<Parsed['pipeline']>['stages'][number]['actions'][number];
type WidgetDef = NonNullable<Parsed['dashboards']>[string]['widgets'][number];
type ScaleActionDef = NonNullable<Extract<AlarmDef, { threshold: number }>['actions']>[number];

const ms = (text: string | undefined, fallback: string): number => parseDuration(text ?? fallback);
const mapValues = <V, R>(record: Record<string, V> | undefined, f: (value: V, key: string) => R): Record<string, R> =>
  Object.fromEntries(Object.entries(record ?? {}).map(([k, v]) => [k, f(v, k)]));

/** Gitflow's branches, and trunk's. */
export const PRESET_BRANCHES = { trunk: ['main'], gitflow: ['main', 'develop', 'release/*', 'hotfix/*'] } as const;
/** The default time between health checks. */
export const DEFAULT_HEALTH_INTERVAL = '5s';
const ACTION_TIMEOUTS = { build: '1h', image: '30m', scan: '10m', analyze: '10m', plan: '5m', approval: '7d', deploy: '1h', invoke: '5m', loadtest: '10m' } as const;

/**
 * Compiles a definition that passed the schema and the reference checks into the frozen
 * resolved form: defaults filled in, durations in ms, strategies normalised.
 */
export function compileApp(app: Parsed): ResolvedApp {
  const segments = mapValues(app.segments, (s) => s.match);
  const resolved: ResolvedApp = {
    name: app.name,
    services: mapValues(app.services, (s, name) => compileService(s, name, scaledBy(app, name))),
    environments: mapValues(app.environments, compileEnvironment),
    pipeline: app.pipeline === undefined ? undefined : compilePipeline(app.pipeline, app),
    alarms: mapValues(app.alarms, compileAlarm),
    notifications: mapValues(app.notifications, (subs) => subs.map(compileSubscription)),
    flags: mapValues(app.flags, (flag, key) => compileFlag(key, flag, segments)),
    flagsByEnvironment: mapValues(app.environments, (_e, env) => mapValues(app.flags, (flag, key) => compileFlagForEnvironment(key, flag, env, segments))),
    segments,
    experiments: mapValues(app.experiments, (e, name) => compileExperiment(name, e, compileFlag(e.flag, app.flags![e.flag]!, segments), Object.keys(app.environments))),
    artifacts: { keepLast: app.artifacts?.keepLast ?? 10, expireUntaggedAfterMs: ms(app.artifacts?.expireUntaggedAfter, '7d') },
    dashboards: mapValues(app.dashboards, (d, name) => ({ name, widgets: d.widgets.map(compileWidget) })),
    telemetry: {
      allowUnauthenticated: app.telemetry?.allowUnauthenticated ?? false,
      retention: compileRetention(app.telemetry?.retention),
      ...(app.telemetry?.rum !== undefined ? { rum: compileRum(app.telemetry.rum, app) } : {}),
    },
    oncall: compileOncall(app.oncall),
  };
  return deepFreeze(structuredClone(resolved));
}

function compileRum(rum: NonNullable<NonNullable<Parsed['telemetry']>['rum']>, app: Parsed): ResolvedRum {
  return {
    origins: [...new Set(rum.origins.map((o) => new URL(o).origin))],
    serviceName: rum.serviceName ?? `${app.name}-web`,
    servedBy: rum.servedBy ?? Object.keys(app.services).filter((name) => app.services[name]?.ingress !== undefined),
  };
}

function compileService(s: ServiceDef, name: string, scaledByAlarms: string[]): ResolvedService {
  const env = s.env ?? {};
  const refs = new Set(Object.values(env).flatMap((v) => envReferences(v).flatMap((r) => (r.ok ? [r.service] : []))));
  const min = s.scaling?.min ?? 1;
  const intervalMs = ms(s.health?.interval, DEFAULT_HEALTH_INTERVAL);
  return {
    name,
    path: s.path,
    start: s.start,
    runtime: s.runtime ?? 'process',
    image: s.image === undefined ? undefined : compileImage(s.path, s.image),
    portEnv: s.portEnv ?? 'PORT',
    health: {
      path: s.health?.path ?? '/healthz',
      intervalMs,
      // The timeout must stay below the interval: 2s, or half the interval when that is shorter.
      timeoutMs: s.health?.timeout === undefined ? Math.max(1, Math.min(2_000, Math.floor(intervalMs / 2))) : parseDuration(s.health.timeout),
      healthyThreshold: s.health?.healthyThreshold ?? 2,
      unhealthyThreshold: s.health?.unhealthyThreshold ?? 3,
      gracePeriodMs: ms(s.health?.gracePeriod, '10s'),
    },
    ingressPathPrefix: s.ingress?.pathPrefix,
    scaling: {
      min,
      max: s.scaling?.max ?? Math.max(min, 1),
      targetCpuPercent: s.scaling?.targetCpuPercent,
      targetRequestsPerTask: s.scaling?.targetRequestsPerTask,
      targets: (s.scaling?.targets ?? []).map((t) => compileScalingTarget(t, name)),
      schedules: (s.scaling?.schedules ?? []).map((x) => ({ name: x.name, schedule: x.schedule.trim(), timezone: x.timezone ?? 'UTC', minTasks: x.minTasks, maxTasks: x.maxTasks })),
      scaledByAlarms,
      scaleInCooldownMs: ms(s.scaling?.scaleInCooldown, '60s'),
      scaleOutCooldownMs: ms(s.scaling?.scaleOutCooldown, '30s'),
    },
    env: { ...env },
    urlReferences: [...refs].sort(),
    secrets: [...(s.secrets ?? [])],
    cpuUnits: s.cpu ?? 256,
    memoryMiB: s.memory ?? 512,
    platform: s.platform ?? 'ecs',
    dependsOn: [...(s.dependsOn ?? [])],
    watch: [...(s.watch ?? [])],
  };
}

/** Joins `/`-separated relative paths, dropping `.` segments (no `node:path` here: the dashboard imports this). */
function joinPath(...parts: string[]): string {
  const out: string[] = [];
  for (const seg of parts.join('/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(seg);
  }
  return out.length === 0 ? '.' : out.join('/');
}

function compileImage(servicePath: string, i: NonNullable<ServiceDef['image']>): ResolvedImage {
  const context = joinPath(servicePath, i.context ?? '.');
  return {
    dockerfile: joinPath(context, i.dockerfile ?? 'Dockerfile'),
    context,
    target: i.target,
    buildArgs: { ...(i.buildArgs ?? {}) },
    platforms: [...(i.platforms ?? [])],
    tagMutability: i.tagMutability ?? 'MUTABLE',
    lifecyclePolicy: i.lifecyclePolicy === undefined ? undefined : JSON.stringify(i.lifecyclePolicy),
    scanOnPush: i.scanOnPush ?? true,
  };
}

function compileEnvironment(e: EnvironmentDef, name: string): ResolvedEnvironment {
  const rollbackOn = [...(e.rollbackOn ?? [])];
  const hooks: Record<string, ResolvedHook> = {};
  for (const [hook, h] of Object.entries(e.hooks ?? {})) {
    if (h === undefined) continue;
    const timeoutMs = ms(h.timeout, '5m');
    hooks[hook] = h.command !== undefined ? { kind: 'Command', command: h.command, timeoutMs } : { kind: 'Url', url: h.url!, timeoutMs };
  }
  return {
    name,
    ingressPort: e.ingressPort,
    testPort: e.testPort,
    strategy: resolveStrategy(e.strategy, { hasTestPort: e.testPort !== undefined, rollbackOn }),
    rollbackOn,
    hooks,
    requiresApproval: e.requiresApproval ?? false,
    selfHeal: e.selfHeal ?? false,
    platform: e.platform ?? 'ecs',
  };
}

function compileAction(a: ActionDef, app: Parsed): ResolvedAction {
  const services = app.services;
  const base = { name: actionName(a), runOrder: a.runOrder ?? 1, timeoutMs: ms(a.timeout, ACTION_TIMEOUTS[a.type]), retries: 'retries' in a ? (a.retries ?? 0) : 0 };
  switch (a.type) {
    case 'build':
      return { ...base, type: 'build', buildspec: a.buildspec ?? 'buildspec.yml', namespace: a.namespace ?? base.name, minLineCoverage: a.minLineCoverage };
    case 'image':
      return { ...base, type: 'image', services: [...(a.services ?? Object.keys(services).filter((name) => services[name]?.image !== undefined))], failOn: a.failOn ?? 'high' };
    case 'scan':
      return { ...base, type: 'scan', failOn: a.failOn ?? 'high' };
    case 'approval':
      return { ...base, type: 'approval' };
    case 'deploy':
      return { ...base, type: 'deploy', environment: a.environment, service: a.service };
    case 'invoke':
      return { ...base, type: 'invoke', command: a.command };
    case 'plan':
      return { ...base, type: 'plan', allowDestroy: a.allowDestroy ?? false };
    case 'analyze':
      return { ...base, type: 'analyze', command: a.command, sarif: a.sarif, paths: [...(a.paths ?? ['.'])], failOn: a.failOn ?? 'error' };
    case 'loadtest':
      return { ...base, type: 'loadtest', ...compileLoadTest(a, app) };
  }
}

function compileLoadTest(a: Extract<ActionDef, { type: 'loadtest' }>, app: Parsed): ResolvedLoadTest {
  const target = resolveLoadTarget(app, a.target);
  // checkLoadTest refused every target that does not resolve.
  if (!target.ok) throw new Error(`unchecked load test target: ${target.message}`);
  const t = a.thresholds;
  return {
    environment: target.environment,
    path: target.path,
    service: target.service,
    method: a.method ?? 'GET',
    headers: { ...(a.headers ?? {}) },
    body: a.body,
    durationMs: ms(a.duration, DEFAULT_LOAD_DURATION),
    concurrency: a.concurrency ?? 8,
    ratePerSecond: a.ratePerSecond,
    maxRequests: a.requests ?? LOAD_TEST_LIMITS.maxRequests,
    requestTimeoutMs: ms(a.requestTimeout, '10s'),
    thresholds: { p50Ms: t.p50Ms, p90Ms: t.p90Ms, p95Ms: t.p95Ms, p99Ms: t.p99Ms, maxMs: t.maxMs, errorRate: t.errorRate, minRequests: t.minRequests },
  };
}

function compilePipeline(p: NonNullable<Parsed['pipeline']>, app: Parsed): ResolvedPipeline {
  const preset = p.trigger?.preset;
  return {
    trigger: {
      branches: [...(p.trigger?.branches ?? PRESET_BRANCHES[preset ?? 'trunk'])],
      tags: [...(p.trigger?.tags ?? [])],
      preset,
      pollIntervalMs: ms(p.trigger?.pollInterval, '5s'),
    },
    executionMode: p.executionMode ?? 'SUPERSEDED',
    stages: p.stages.map((s) => ({
      name: s.name,
      actions: s.actions.map((a) => compileAction(a, app)),
      beforeEntry: s.beforeEntry === undefined ? undefined : { alarms: [...s.beforeEntry.alarms], result: s.beforeEntry.result ?? 'FAIL' },
      onFailure: { result: s.onFailure?.result ?? 'FAIL', retries: s.onFailure?.result === 'RETRY' ? (s.onFailure.retries ?? 1) : 0 },
    })),
  };
}

function compileAlarm(a: AlarmDef, name: string): ResolvedAlarm {
  const common = { name, description: a.description, runbook: a.runbook, notify: [...(a.notify ?? [])] };
  if ('rule' in a) {
    // The schema has already parsed the rule, so this cannot throw for a validated definition.
    const ruleTree = parseAlarmRule(a.rule);
    return { ...common, kind: 'Composite', rule: a.rule, ruleTree, references: referencedAlarms(ruleTree) };
  }
  const evaluationPeriods = a.evaluationPeriods ?? 1;
  const metric = {
    // A math alarm shows its expression where others show their metric.
    metric: a.metric ?? ('expression' in a ? a.expression : undefined) ?? '',
    service: a.service,
    environment: a.environment,
    stat: a.stat ?? 'Average',
    periodMs: ms(a.period, '1m'),
    evaluationPeriods,
    datapointsToAlarm: a.datapointsToAlarm ?? evaluationPeriods,
    treatMissingData: a.treatMissingData ?? 'missing',
  };
  if ('band' in a) return { ...common, ...metric, kind: 'Anomaly', band: a.band, comparison: a.comparison ?? 'LessThanLowerOrGreaterThanUpperThreshold' };
  const math =
    a.expression === undefined
      ? undefined
      : { metrics: mapValues(a.metrics, (m) => compileMetricStat(m, { service: a.service, environment: a.environment })), expression: a.expression };
  return {
    ...common,
    ...metric,
    kind: 'Metric',
    ...(math === undefined ? {} : { math }),
    actions: (a.actions ?? []).map(compileScaleAction),
    threshold: a.threshold,
    comparison: a.comparison ?? 'GreaterThanThreshold',
  };
}

/** The alarms whose `scale` actions name a service. */
function scaledBy(app: Parsed, service: string): string[] {
  return Object.entries(app.alarms ?? {}).flatMap(([name, a]) => ('actions' in a && (a.actions ?? []).some((x) => x.service === service) ? [name] : []));
}

function compileMetricStat(m: MetricStatDefinition, inherited: { service: string | undefined; environment: string | undefined }): ResolvedMetricStat {
  const service = m.service ?? inherited.service;
  const environment = m.environment ?? inherited.environment;
  return {
    metric: m.metric,
    dimensions: { ...(m.dimensions ?? {}), ...(service === undefined ? {} : { service }), ...(environment === undefined ? {} : { environment }) },
    stat: m.stat ?? 'Average',
  };
}

function compileScalingTarget(t: NonNullable<NonNullable<ServiceDef['scaling']>['targets']>[number], service: string): ResolvedScalingTarget {
  const periodMs = ms(t.period, '1m');
  if (t.expression !== undefined) {
    return { label: t.expression, query: { metrics: mapValues(t.metrics, (m) => compileMetricStat(m, { service, environment: undefined })), expression: t.expression }, periodMs, target: t.target };
  }
  const m1 = compileMetricStat({ metric: t.metric ?? '', service: t.service, dimensions: t.dimensions, stat: t.stat }, { service, environment: undefined });
  return { label: m1.metric, query: { metrics: { m1 }, expression: undefined }, periodMs, target: t.target };
}

function compileScaleAction(x: ScaleActionDef): ResolvedScaleAction {
  const first = x.adjustments[0];
  const adjustmentType = first?.exactTasks !== undefined ? 'ExactCapacity' : typeof first?.change === 'string' ? 'PercentChangeInCapacity' : 'ChangeInCapacity';
  return {
    type: 'scale',
    service: x.service,
    environment: x.environment,
    adjustmentType,
    steps: x.adjustments.map((a) => ({ lowerBound: a.lowerBound, upperBound: a.upperBound, adjustment: a.exactTasks ?? (typeof a.change === 'string' ? Number(a.change.replace('%', '')) : (a.change ?? 0)) })),
    cooldownMs: ms(x.cooldown, '5m'),
    minAdjustmentMagnitude: x.minAdjustmentMagnitude,
  };
}

function compileWidget(w: WidgetDef): ResolvedWidget {
  switch (w.type) {
    case 'metric':
      return { type: 'metric', title: w.title ?? w.metric, metric: w.metric, service: w.service, environment: w.environment, stat: w.stat ?? 'Average', periodMs: ms(w.period, '1m') };
    case 'logs':
      return { type: 'logs', title: w.title ?? 'Logs', query: w.query };
    case 'alarms':
      return { type: 'alarms', title: w.title ?? 'Alarms', alarms: [...w.alarms] };
    case 'text':
      return { type: 'text', title: w.title ?? '', markdown: w.markdown };
  }
}

/** Retention durations in ms (the store's defaults where none is set). */
function compileRetention(r: NonNullable<Parsed['telemetry']>['retention']): ResolvedApp['telemetry']['retention'] {
  const ms = (d: string | undefined) => (d === undefined ? undefined : parseDuration(d));
  return {
    logsMs: ms(r?.logs),
    spansMs: ms(r?.spans),
    metricsMs: ms(r?.metrics),
    logGroupsMs: Object.fromEntries(Object.entries(r?.logGroups ?? {}).map(([g, d]) => [g, parseDuration(d)])),
  };
}
