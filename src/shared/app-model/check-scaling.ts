import type { Issue } from '../errors/index.js';
import { mathReferences, parseMathExpression } from '../metric-math/index.js';
import { noSuchMessage } from './names.js';
import { compileSchedule } from './scaling-schedule.js';
import type { ParsedAppDefinition } from './schema/app.js';
import type { MetricStatDefinition } from './schema/metric-math.js';
import { stepAdjustmentProblems } from './step-adjustments.js';

type Parsed = ParsedAppDefinition;
type ScalingDef = NonNullable<Parsed['services'][string]['scaling']>;

/**
 * Checks what the schema cannot see in metric queries: either one metric or an expression whose
 * ids are all defined (and that parses), and the services the metrics name.
 */
export function checkMetricQuery(
  at: string,
  q: { metric?: string | undefined; expression?: string | undefined; metrics?: Record<string, MetricStatDefinition> | undefined; service?: string | undefined; stat?: string | undefined },
  services: readonly string[],
  issues: Issue[],
): void {
  if ((q.metric === undefined) === (q.expression === undefined)) {
    issues.push({ path: at, message: q.metric === undefined ? 'expected a metric, or metrics and an expression over them' : 'give either metric or expression, not both' });
    return;
  }
  if (q.expression === undefined) {
    if (q.metrics !== undefined) issues.push({ path: `${at}.metrics`, message: 'metrics are what an expression refers to: add an expression, or drop metrics' });
    return;
  }
  if (q.stat !== undefined) issues.push({ path: `${at}.stat`, message: 'with an expression, each of metrics has its own stat' });
  const ids = Object.keys(q.metrics ?? {});
  let refs: string[];
  try {
    refs = mathReferences(parseMathExpression(q.expression));
  } catch (err) {
    issues.push({ path: `${at}.expression`, message: (err as Error).message });
    return;
  }
  for (const ref of refs) if (!ids.includes(ref)) issues.push({ path: `${at}.expression`, message: `the expression refers to "${ref}", which is not defined: ${ids.length === 0 ? 'add it to metrics' : `metrics has ${ids.join(', ')}`}` });
  if (refs.length === 0) issues.push({ path: `${at}.expression`, message: 'the expression refers to no metric' });
  for (const [id, m] of Object.entries(q.metrics ?? {})) {
    if (m.service !== undefined && !services.includes(m.service)) issues.push({ path: `${at}.metrics.${id}.service`, message: noSuchMessage('service', m.service, services) });
  }
}

/** Checks services' scaling targets and schedules. */
export function checkScaling(app: Parsed, issues: Issue[]): void {
  const services = Object.keys(app.services);
  for (const [name, service] of Object.entries(app.services)) {
    const scaling: ScalingDef | undefined = service.scaling;
    if (scaling === undefined) continue;
    const at = `services.${name}.scaling`;
    (scaling.targets ?? []).forEach((t, i) => {
      const here = `${at}.targets[${i}]`;
      checkMetricQuery(here, t, services, issues);
      if (t.expression !== undefined && (t.service !== undefined || t.dimensions !== undefined)) issues.push({ path: here, message: 'with an expression, give service and dimensions on each of metrics' });
      if (t.service !== undefined && !services.includes(t.service)) issues.push({ path: `${here}.service`, message: noSuchMessage('service', t.service, services) });
    });
    const names = new Map<string, number>();
    (scaling.schedules ?? []).forEach((s, i) => {
      const here = `${at}.schedules[${i}]`;
      const first = names.get(s.name);
      if (first !== undefined) issues.push({ path: `${here}.name`, message: `schedule "${s.name}" is already the name of schedules[${first}]` });
      else names.set(s.name, i);
      const parsed = compileSchedule(s.schedule, s.timezone ?? 'UTC');
      if (!parsed.ok) issues.push({ path: parsed.message.startsWith('unknown time zone') ? `${here}.timezone` : `${here}.schedule`, message: parsed.message });
      if (s.minTasks === undefined && s.maxTasks === undefined) issues.push({ path: here, message: 'a scheduled action sets minTasks, maxTasks or both' });
      if (s.minTasks !== undefined && s.maxTasks !== undefined && s.minTasks > s.maxTasks) issues.push({ path: `${here}.maxTasks`, message: `maxTasks (${s.maxTasks}) must be at least minTasks (${s.minTasks})` });
    });
  }
}

/** Checks metric alarms' math and `scale` actions. */
export function checkAlarmScaling(app: Parsed, issues: Issue[]): void {
  const services = Object.keys(app.services);
  const environments = Object.keys(app.environments);
  for (const [name, alarm] of Object.entries(app.alarms ?? {})) {
    if ('rule' in alarm || 'band' in alarm) continue;
    const at = `alarms.${name}`;
    checkMetricQuery(at, alarm, services, issues);
    (alarm.actions ?? []).forEach((action, i) => {
      const here = `${at}.actions[${i}]`;
      const svc = app.services[action.service];
      if (svc === undefined) issues.push({ path: `${here}.service`, message: noSuchMessage('service', action.service, services) });
      else if ((svc.scaling?.max ?? svc.scaling?.min ?? 1) <= (svc.scaling?.min ?? 1) && (svc.scaling?.schedules ?? []).length === 0) {
        issues.push({ path: `${here}.service`, message: `${action.service} cannot be scaled: its scaling.max equals its min (${svc.scaling?.min ?? 1}); give it a larger max` });
      }
      if (action.environment !== undefined && !environments.includes(action.environment)) issues.push({ path: `${here}.environment`, message: noSuchMessage('environment', action.environment, environments) });
      const kinds = new Set<string>();
      action.adjustments.forEach((a, k) => {
        if ((a.change === undefined) === (a.exactTasks === undefined)) issues.push({ path: `${here}.adjustments[${k}]`, message: 'expected change (tasks or a percentage) or exactTasks, one of them' });
        kinds.add(a.exactTasks !== undefined ? 'exactTasks' : typeof a.change === 'string' ? 'a percentage' : 'a change in tasks');
      });
      if (kinds.size > 1) issues.push({ path: `${here}.adjustments`, message: `the steps of one action are all of one kind (Application Auto Scaling's AdjustmentType), got ${[...kinds].join(' and ')}` });
      for (const p of stepAdjustmentProblems(action.adjustments.map((a) => ({ lowerBound: a.lowerBound, upperBound: a.upperBound, adjustment: 0 })))) {
        issues.push({ path: `${here}.adjustments[${p.index}]`, message: p.message });
      }
      if (action.minAdjustmentMagnitude !== undefined && !kinds.has('a percentage')) issues.push({ path: `${here}.minAdjustmentMagnitude`, message: 'minAdjustmentMagnitude applies to percentage changes only' });
    });
  }
}
