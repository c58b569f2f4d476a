import type { ResolvedAlarm, ResolvedMetricQuery, ResolvedScaleAction, RuleNode } from '../../shared/index.js';
import { compileStatistic } from '../../telemetry/index.js';
import type { MetricAlarmSettings } from '../evaluation/index.js';

/** Shortest and longest period telemetry can aggregate. */
const MIN_PERIOD_MS = 1000;
const MAX_PERIOD_MS = 3_600_000;

/** The metric query behind an alarm; alarms with equal queries share one read per round. */
export interface AlarmQuery {
  readonly metric: string;
  /** The alarm's `service` and `environment`, as dimensions (router metrics carry both). */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly stat: string;
  readonly periodMs: number;
  /** Metric math: the metrics and the expression evaluated instead of `metric` (read with telemetry's `queryMetricData`). */
  readonly math: ResolvedMetricQuery | undefined;
  /** The identity of the query: alarms with the same key are read together. */
  readonly key: string;
}

interface CompiledBase {
  readonly name: string;
  readonly description: string | undefined;
  /** The alarm's runbook (a URL or a file relative to the config file), if any. */
  readonly runbook: string | undefined;
  readonly notify: readonly string[];
  /** The service whose deployments a state change is attributed to. */
  readonly service: string | undefined;
  readonly environment: string | undefined;
}

/** A metric or anomaly alarm, ready for the evaluator. */
export interface CompiledMetricAlarm extends CompiledBase {
  readonly kind: 'Metric' | 'Anomaly';
  readonly query: AlarmQuery;
  readonly settings: MetricAlarmSettings;
  /** Band width in standard deviations (anomaly alarms). */
  readonly bandWidth: number | undefined;
  /** Why the definition cannot be evaluated (an unknown statistic, a period telemetry cannot aggregate). */
  readonly problem: string | undefined;
  /** `scale` actions run after each evaluation in ALARM. */
  readonly actions: readonly ResolvedScaleAction[];
  /** The threshold compared (metric alarms), which step bounds are relative to. */
  readonly threshold: number | undefined;
}

/** A composite alarm, ready for the evaluator. */
export interface CompiledCompositeAlarm extends CompiledBase {
  readonly kind: 'Composite';
  readonly rule: string;
  readonly ruleTree: RuleNode;
  readonly references: readonly string[];
}

/** Any alarm the evaluator runs. */
export type CompiledAlarm = CompiledMetricAlarm | CompiledCompositeAlarm;

/** Every alarm of the app, compiled once: metric alarms, and composites in evaluation order (children first). */
export interface CompiledAlarms {
  readonly byName: ReadonlyMap<string, CompiledAlarm>;
  readonly metric: readonly CompiledMetricAlarm[];
  readonly composites: readonly CompiledCompositeAlarm[];
}

function queryOf(a: Extract<ResolvedAlarm, { kind: 'Metric' | 'Anomaly' }>): AlarmQuery {
  const dimensions: Record<string, string> = {};
  if (a.service !== undefined) dimensions.service = a.service;
  if (a.environment !== undefined) dimensions.environment = a.environment;
  const math = a.kind === 'Metric' ? a.math : undefined;
  if (math !== undefined) return { metric: a.metric, dimensions: {}, stat: a.stat, periodMs: a.periodMs, math, key: JSON.stringify(['math', math.metrics, math.expression, a.periodMs]) };
  const key = JSON.stringify([a.metric, dimensions.service ?? null, dimensions.environment ?? null, a.stat, a.periodMs]);
  return { metric: a.metric, dimensions, stat: a.stat, periodMs: a.periodMs, math: undefined, key };
}

function problemOf(a: Extract<ResolvedAlarm, { kind: 'Metric' | 'Anomaly' }>): string | undefined {
  try {
    compileStatistic(a.stat);
    if (a.kind === 'Metric') for (const m of Object.values(a.math?.metrics ?? {})) compileStatistic(m.stat);
  } catch (err) {
    return `Cannot evaluate: ${(err as Error).message}`;
  }
  if (!Number.isInteger(a.periodMs) || a.periodMs < MIN_PERIOD_MS || a.periodMs > MAX_PERIOD_MS) {
    return `Cannot evaluate: period ${a.periodMs} ms is outside what telemetry aggregates (1s to 1h)`;
  }
  if (a.datapointsToAlarm < 1 || a.datapointsToAlarm > a.evaluationPeriods) {
    return `Cannot evaluate: datapointsToAlarm (${a.datapointsToAlarm}) must be between 1 and evaluationPeriods (${a.evaluationPeriods})`;
  }
  return undefined;
}

/** Orders composites so that every composite comes after the composites it references. */
function orderComposites(composites: readonly CompiledCompositeAlarm[]): CompiledCompositeAlarm[] {
  const byName = new Map(composites.map((c) => [c.name, c]));
  const out: CompiledCompositeAlarm[] = [];
  const seen = new Set<string>();
  const visit = (c: CompiledCompositeAlarm, path: Set<string>): void => {
    if (seen.has(c.name) || path.has(c.name)) return; // a cycle is rejected by validation; never loop on one
    path.add(c.name);
    for (const ref of c.references) {
      const child = byName.get(ref);
      if (child !== undefined) visit(child, path);
    }
    seen.add(c.name);
    out.push(c);
  };
  for (const c of composites) visit(c, new Set());
  return out;
}

/** The single service (and environment) all of a composite's metric descendants watch, if there is one. */
function compositeTarget(name: string, alarms: Readonly<Record<string, ResolvedAlarm>>): { service: string | undefined; environment: string | undefined } {
  const services = new Set<string | undefined>();
  const environments = new Set<string | undefined>();
  const seen = new Set<string>();
  const walk = (n: string): void => {
    if (seen.has(n)) return;
    seen.add(n);
    const a = alarms[n];
    if (a === undefined) return;
    if (a.kind === 'Composite') a.references.forEach(walk);
    else {
      services.add(a.service);
      environments.add(a.environment);
    }
  };
  walk(name);
  const only = (s: Set<string | undefined>) => (s.size === 1 ? [...s][0] : undefined);
  return { service: only(services), environment: only(environments) };
}

/** Compiles the app's alarms for the evaluator: query keys, settings, problems found up front, composite order. */
export function compileAlarms(alarms: Readonly<Record<string, ResolvedAlarm>>): CompiledAlarms {
  const metric: CompiledMetricAlarm[] = [];
  const composites: CompiledCompositeAlarm[] = [];
  for (const a of Object.values(alarms)) {
    const base = { name: a.name, description: a.description, runbook: a.runbook, notify: a.notify };
    if (a.kind === 'Composite') {
      composites.push({ ...base, ...compositeTarget(a.name, alarms), kind: 'Composite', rule: a.rule, ruleTree: a.ruleTree, references: a.references });
      continue;
    }
    const settings: MetricAlarmSettings = {
      threshold: a.kind === 'Metric' ? a.threshold : 0,
      comparison: a.comparison,
      evaluationPeriods: a.evaluationPeriods,
      datapointsToAlarm: a.datapointsToAlarm,
      treatMissingData: a.treatMissingData,
      periodMs: a.periodMs,
    };
    metric.push({
      ...base,
      kind: a.kind,
      service: a.service,
      environment: a.environment,
      query: queryOf(a),
      settings,
      bandWidth: a.kind === 'Anomaly' ? a.band : undefined,
      problem: problemOf(a),
      actions: a.kind === 'Metric' ? (a.actions ?? []) : [],
      threshold: a.kind === 'Metric' ? a.threshold : undefined,
    });
  }
  const ordered = orderComposites(composites);
  const byName = new Map<string, CompiledAlarm>([...metric, ...ordered].map((a) => [a.name, a]));
  return { byName, metric, composites: ordered };
}
