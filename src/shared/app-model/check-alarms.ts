import type { Issue } from '../errors/index.js';
import { findAlarmRuleCycle, referencedAlarms, type RuleNode } from './alarm-rule.js';
import { noSuchMessage } from './names.js';
import { tryParseAlarmRule } from './parse-alarm-rule.js';
import type { ParsedAppDefinition } from './schema/app.js';

/** Checks alarms: the services, environments, topics and alarms they name, M of N, and composite cycles. */
export function checkAlarms(app: ParsedAppDefinition, issues: Issue[]): void {
  const alarms = app.alarms ?? {};
  const alarmNames = Object.keys(alarms);
  const services = Object.keys(app.services);
  const environments = Object.keys(app.environments);
  const topics = Object.keys(app.notifications ?? {});
  const rules: Record<string, RuleNode> = {};
  for (const [name, alarm] of Object.entries(alarms)) {
    const at = `alarms.${name}`;
    (alarm.notify ?? []).forEach((topic, i) => {
      if (!topics.includes(topic)) issues.push({ path: `${at}.notify[${i}]`, message: noSuchMessage('notification topic', topic, topics) });
    });
    if ('rule' in alarm) {
      // The schema reports rules that do not parse; here they only have no references to check.
      const parsed = tryParseAlarmRule(alarm.rule);
      if (!parsed.ok) continue;
      rules[name] = parsed.rule;
      for (const ref of referencedAlarms(parsed.rule)) {
        if (!alarmNames.includes(ref)) issues.push({ path: `${at}.rule`, message: noSuchMessage('alarm', ref, alarmNames) });
      }
      continue;
    }
    if (alarm.service !== undefined && !services.includes(alarm.service)) issues.push({ path: `${at}.service`, message: noSuchMessage('service', alarm.service, services) });
    if (alarm.environment !== undefined && !environments.includes(alarm.environment)) issues.push({ path: `${at}.environment`, message: noSuchMessage('environment', alarm.environment, environments) });
    const evaluationPeriods = alarm.evaluationPeriods ?? 1;
    if (alarm.datapointsToAlarm !== undefined && alarm.datapointsToAlarm > evaluationPeriods) {
      issues.push({ path: `${at}.datapointsToAlarm`, message: `datapointsToAlarm (${alarm.datapointsToAlarm}) must not exceed evaluationPeriods (${evaluationPeriods})` });
    }
  }
  const cycle = findAlarmRuleCycle(rules);
  if (cycle !== undefined) issues.push({ path: `alarms.${cycle[0]}.rule`, message: `composite alarms refer to each other in a cycle: ${cycle.join(' → ')}` });
}

/**
 * Checks flags: variant names exist, values have the type of the default (in every environment's
 * override too), overrides name environments of the model, and rules name declared segments.
 */
export function checkFlags(app: ParsedAppDefinition, issues: Issue[]): void {
  const environments = Object.keys(app.environments);
  const segments = Object.keys(app.segments ?? {});
  for (const [key, flag] of Object.entries(app.flags ?? {})) {
    const at = `flags.${key}`;
    const variants = flag.variants === undefined ? undefined : Object.keys(flag.variants);
    const check = (value: unknown, path: string, like: unknown = flag.default): void => {
      if (variants !== undefined) {
        if (typeof value !== 'string' || !variants.includes(value)) issues.push({ path, message: noSuchMessage('variant', String(value), variants) });
      } else if (typeof value !== typeof like) {
        issues.push({ path, message: `expected a ${typeof like} like the default, got ${JSON.stringify(value)}` });
      }
    };
    const checkRules = (rules: NonNullable<typeof flag.rules>, path: string): void =>
      rules.forEach((rule, i) => {
        check(rule.value, `${path}[${i}].value`);
        if (rule.segment !== undefined && !segments.includes(rule.segment)) issues.push({ path: `${path}[${i}].segment`, message: noSuchMessage('segment', rule.segment, segments) });
      });
    if (variants !== undefined) check(flag.default, `${at}.default`);
    checkRules(flag.rules ?? [], `${at}.rules`);
    for (const [env, override] of Object.entries(flag.environments ?? {})) {
      const here = `${at}.environments.${env}`;
      if (!environments.includes(env)) issues.push({ path: here, message: noSuchMessage('environment', env, environments) });
      if (override.default !== undefined) check(override.default, `${here}.default`);
      checkRules(override.rules ?? [], `${here}.rules`);
    }
  }
}

/** Checks dashboards: the services, environments and alarms widgets name. */
export function checkDashboards(app: ParsedAppDefinition, issues: Issue[]): void {
  const services = Object.keys(app.services);
  const environments = Object.keys(app.environments);
  const alarms = Object.keys(app.alarms ?? {});
  for (const [name, dashboard] of Object.entries(app.dashboards ?? {})) {
    dashboard.widgets.forEach((widget, w) => {
      const at = `dashboards.${name}.widgets[${w}]`;
      if (widget.type === 'metric') {
        if (widget.service !== undefined && !services.includes(widget.service)) issues.push({ path: `${at}.service`, message: noSuchMessage('service', widget.service, services) });
        if (widget.environment !== undefined && !environments.includes(widget.environment)) issues.push({ path: `${at}.environment`, message: noSuchMessage('environment', widget.environment, environments) });
      }
      if (widget.type === 'alarms') {
        widget.alarms.forEach((alarm, i) => {
          if (!alarms.includes(alarm)) issues.push({ path: `${at}.alarms[${i}]`, message: noSuchMessage('alarm', alarm, alarms) });
        });
      }
    });
  }
}
