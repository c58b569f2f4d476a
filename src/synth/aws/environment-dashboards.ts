import { aws_cloudwatch as cloudwatch } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ResolvedApp, ResolvedWidget } from '../../shared/index.js';
import { mapMetric, toCdkMetric, type EnvironmentMetricTargets } from './environment-metrics.js';
import { cloudWatchPeriod } from './model/metric-source.js';
import { limitName, pascalCase } from './model/names.js';
import type { SynthWarnings } from './model/synth-warnings.js';

/** Options of {@link SlipwayEnvironmentDashboards}. */
export interface SlipwayEnvironmentDashboardsProps {
  readonly app: ResolvedApp;
  readonly environment: string;
  readonly targets: EnvironmentMetricTargets;
  /** The environment's alarms by model name. */
  readonly alarms: Readonly<Record<string, cloudwatch.IAlarm>>;
  /** Log groups the `logs` widgets query (every service's). */
  readonly logGroupNames: readonly string[];
  readonly warnings: SynthWarnings;
}

/** The widgets of the default per-service dashboard: title, metric, statistic. */
const SERVICE_WIDGETS: readonly (readonly [string, string, string])[] = [
  ['Requests', 'RequestCount', 'Sum'],
  ['5xx responses', 'HTTPCode_Target_5XX_Count', 'Sum'],
  ['p99 latency (s)', 'TargetResponseTime', 'p99'],
  ['CPU %', 'CPUUtilization', 'Average'],
  ['Memory %', 'MemoryUtilization', 'Average'],
  ['Running tasks', 'RunningTaskCount', 'Average'],
];

/**
 * CloudWatch dashboards of one environment: each model dashboard (`<app>-<environment>-<name>`; widgets
 * restricted to another environment are left out) and a default dashboard per service
 * (`<app>-<environment>-<service>`: requests, 5xx, p99 latency, CPU, memory, task count).
 */
export class SlipwayEnvironmentDashboards extends Construct {
  /** Dashboards by name. */
  readonly dashboards: Readonly<Record<string, cloudwatch.Dashboard>>;

  constructor(scope: Construct, id: string, props: SlipwayEnvironmentDashboardsProps) {
    super(scope, id);
    const { app, environment } = props;
    const dashboards: Record<string, cloudwatch.Dashboard> = {};
    for (const dashboard of Object.values(app.dashboards)) {
      const name = limitName(`${app.name}-${environment}-${dashboard.name}`, 255);
      const widgets = dashboard.widgets.flatMap((w, i) => this.widget(props, w, `dashboards.${dashboard.name}.widgets[${i}]`));
      dashboards[name] = new cloudwatch.Dashboard(this, pascalCase(dashboard.name), { dashboardName: name, widgets: rows(widgets) });
    }
    for (const service of Object.keys(app.services)) {
      const name = limitName(`${app.name}-${environment}-${service}`, 255);
      const widgets: cloudwatch.IWidget[] = [];
      for (const [title, metric, stat] of SERVICE_WIDGETS) {
        const mapped = mapMetric(props.targets, { metric, service, stat, periodSeconds: 60 });
        if (typeof mapped !== 'string') widgets.push(new cloudwatch.GraphWidget({ title, left: [toCdkMetric(mapped, metric)], width: 8, height: 6 }));
      }
      dashboards[name] = new cloudwatch.Dashboard(this, `Service${pascalCase(service)}`, { dashboardName: name, widgets: rows(widgets) });
    }
    this.dashboards = dashboards;
  }

  private widget(props: SlipwayEnvironmentDashboardsProps, w: ResolvedWidget, path: string): cloudwatch.IWidget[] {
    switch (w.type) {
      case 'metric': {
        if (w.environment !== undefined && w.environment !== props.environment) return [];
        const period = cloudWatchPeriod(w.periodMs);
        if (period.difference !== undefined) props.warnings.add(path, period.difference);
        const mapped = mapMetric(props.targets, { metric: w.metric, service: w.service, stat: w.stat, periodSeconds: period.seconds });
        if (typeof mapped === 'string') {
          props.warnings.add(`${path} (${props.environment})`, `left out: ${mapped}`);
          return [];
        }
        return [new cloudwatch.GraphWidget({ title: w.title, left: [toCdkMetric(mapped, w.metric)], width: 12, height: 6 })];
      }
      case 'logs':
        if (props.logGroupNames.length === 0) return [];
        return [new cloudwatch.LogQueryWidget({ title: w.title, logGroupNames: [...props.logGroupNames], queryString: w.query, width: 24, height: 6 })];
      case 'alarms': {
        const alarms = w.alarms.map((a) => props.alarms[a]).filter((a): a is cloudwatch.IAlarm => a !== undefined);
        return alarms.length === 0 ? [] : [new cloudwatch.AlarmStatusWidget({ title: w.title, alarms, width: 12, height: 4 })];
      }
      case 'text':
        return [new cloudwatch.TextWidget({ markdown: `### ${w.title}\n\n${w.markdown}`, width: 12, height: 4 })];
    }
  }
}

/** Lays widgets out left to right, 24 units per row. */
function rows(widgets: readonly cloudwatch.IWidget[]): cloudwatch.IWidget[][] {
  const out: cloudwatch.IWidget[][] = [];
  let row: cloudwatch.IWidget[] = [];
  let width = 0;
  for (const w of widgets) {
    if (width + w.width > 24 && row.length > 0) {
      out.push(row);
      row = [];
      width = 0;
    }
    row.push(w);
    width += w.width;
  }
  if (row.length > 0) out.push(row);
  return out;
}
