import type { RouterMetricsSnapshot, TargetGroupMetricsSnapshot } from './snapshot.js';

/** Content type of the Prometheus text exposition format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const GROUP_COUNTERS = [
  ['RequestCount', 'Requests routed to the target group'],
  ['HTTPCode_Target_2XX_Count', 'Target answers 2XX'],
  ['HTTPCode_Target_3XX_Count', 'Target answers 3XX'],
  ['HTTPCode_Target_4XX_Count', 'Target answers 4XX'],
  ['HTTPCode_Target_5XX_Count', 'Target answers 5XX'],
  ['HTTPCode_ELB_5XX_Count', 'Answers 5XX made by the router (502, 503, 504)'],
  ['HTTPCode_ELB_502_Count', 'Router answers 502: target unreachable'],
  ['HTTPCode_ELB_503_Count', 'Router answers 503: no healthy target'],
  ['HTTPCode_ELB_504_Count', 'Router answers 504: target timed out'],
  ['MirroredRequestCount', 'Copies of requests sent by a mirror rule'],
] as const;
const GROUP_GAUGES = [
  ['HealthyHostCount', 'Healthy targets in the group'],
  ['UnHealthyHostCount', 'Unhealthy targets in the group'],
] as const;

/** Escapes a label value (backslash, double quote, newline). */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function groupLabels(g: TargetGroupMetricsSnapshot): string {
  const d = g.dimensions;
  return `environment="${escapeLabel(d.environment)}",service="${escapeLabel(d.service)}",revision="${escapeLabel(d.revision)}",targetGroup="${escapeLabel(d.targetGroup)}"`;
}

/** Renders a snapshot in the Prometheus text exposition format (version 0.0.4). */
export function toPrometheusText(snapshot: RouterMetricsSnapshot): string {
  const lines: string[] = [];
  const groups = snapshot.targetGroups;
  for (const [name, help] of GROUP_COUNTERS) {
    lines.push(`# HELP ${name} ${help}.`, `# TYPE ${name} counter`);
    for (const g of groups) lines.push(`${name}{${groupLabels(g)}} ${g[name]}`);
  }
  for (const [name, help] of GROUP_GAUGES) {
    lines.push(`# HELP ${name} ${help}.`, `# TYPE ${name} gauge`);
    for (const g of groups) lines.push(`${name}{${groupLabels(g)}} ${g[name]}`);
  }
  lines.push('# HELP TargetResponseTime Seconds from sending a request to a target until its response headers.', '# TYPE TargetResponseTime histogram');
  for (const g of groups) {
    const labels = groupLabels(g);
    const h = g.TargetResponseTime;
    for (const b of h.buckets) lines.push(`TargetResponseTime_bucket{${labels},le="${b.le}"} ${b.count}`);
    lines.push(`TargetResponseTime_sum{${labels}} ${h.sumSeconds}`, `TargetResponseTime_count{${labels}} ${h.count}`);
  }
  const listenerLabels = (l: RouterMetricsSnapshot['listeners'][number]): string =>
    `environment="${escapeLabel(l.environment)}",service="${escapeLabel(l.service)}",listener="${escapeLabel(l.listener)}"`;
  lines.push('# HELP ActiveConnectionCount Client connections open now.', '# TYPE ActiveConnectionCount gauge');
  for (const l of snapshot.listeners) lines.push(`ActiveConnectionCount{${listenerLabels(l)}} ${l.ActiveConnectionCount}`);
  lines.push('# HELP NewConnectionCount Client connections accepted.', '# TYPE NewConnectionCount counter');
  for (const l of snapshot.listeners) lines.push(`NewConnectionCount{${listenerLabels(l)}} ${l.NewConnectionCount}`);
  lines.push('# HELP HTTPCode_ELB_4XX_Count Requests no rule matched (404 from the router).', '# TYPE HTTPCode_ELB_4XX_Count counter');
  for (const l of snapshot.listeners) lines.push(`HTTPCode_ELB_4XX_Count{${listenerLabels(l)}} ${l.HTTPCode_ELB_4XX_Count}`);
  return `${lines.join('\n')}\n`;
}
