import type { SlipwayEvent } from '../../core/index.js';
import type { NotificationMessage, Severity } from './model.js';
import { PAGE_EVENT_TYPES } from './route.js';

/** Event types the notifier turns into notifications (`incident.*` is a prefix). */
export const NOTIFIED_EVENT_TYPES: readonly string[] = Object.freeze([
  'alarm.state.changed',
  'deployment.rolled_back',
  'deployment.failed',
  'deployment.succeeded',
  'pipeline.run.failed',
  'pipeline.run.succeeded',
  'incident.*',
]);

function str(data: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const v = data[key];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

function fieldsOf(data: Readonly<Record<string, unknown>>, keys: readonly [label: string, key: string][]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [label, key] of keys) {
    const v = str(data, key);
    if (v !== undefined) out[label] = v;
  }
  return out;
}

function text(title: string, fields: Readonly<Record<string, string>>): string {
  return [title, ...Object.entries(fields).map(([k, v]) => `${k}: ${v}`)].join('\n');
}

function message(e: SlipwayEvent, severity: Severity, title: string, fields: Record<string, string>): NotificationMessage {
  return { eventType: e.type, eventSeq: e.seq, timeMs: e.timeMs, subject: e.subject, severity, title, text: text(title, fields), fields, data: e.data };
}

function alarmMessage(e: SlipwayEvent): NotificationMessage {
  const d = e.data;
  const name = str(d, 'alarm') ?? e.subject.replace(/^alarm\//, '');
  const newState = str(d, 'newState') ?? 'UNKNOWN';
  const severity: Severity = newState === 'ALARM' ? 'critical' : newState === 'INSUFFICIENT_DATA' ? 'warning' : 'info';
  const fields = fieldsOf(d, [
    ['Description', 'description'],
    ['Runbook', 'runbook'],
    ['Service', 'service'],
    ['Environment', 'environment'],
    ['Deployment', 'deploymentId'],
    ['Reason', 'reason'],
  ]);
  return message(e, severity, `${newState}: ${name} (${str(d, 'oldState') ?? '?'} → ${newState})`, fields);
}

const DEPLOYMENT: Record<string, { severity: Severity; verb: string }> = {
  'deployment.rolled_back': { severity: 'warning', verb: 'rolled back' },
  'deployment.failed': { severity: 'critical', verb: 'failed' },
  'deployment.succeeded': { severity: 'info', verb: 'succeeded' },
};

function deploymentMessage(e: SlipwayEvent, kind: { severity: Severity; verb: string }): NotificationMessage {
  const d = e.data;
  const id = str(d, 'deploymentId') ?? str(d, 'id') ?? e.subject.replace(/^deployment\//, '');
  const where = [str(d, 'service'), str(d, 'environment')].filter((x) => x !== undefined).join(' to ');
  const fields = fieldsOf(d, [['Service', 'service'], ['Environment', 'environment'], ['From revision', 'fromRevision'], ['To revision', 'toRevision'], ['Trigger', 'trigger'], ['Reason', 'reason']]);
  return message(e, kind.severity, `Deployment ${id}${where === '' ? '' : ` of ${where}`} ${kind.verb}`, fields);
}

function pipelineMessage(e: SlipwayEvent): NotificationMessage {
  const d = e.data;
  const failed = e.type === 'pipeline.run.failed';
  const id = str(d, 'runId') ?? e.subject.replace(/^pipeline-run\//, '');
  const fields = fieldsOf(d, [['Branch', 'branch'], ['Commit', 'commitSha'], ['Stage', 'stage'], ['Reason', 'reason']]);
  return message(e, failed ? 'warning' : 'info', `Pipeline run ${id} ${failed ? 'failed' : 'succeeded'}`, fields);
}

function incidentSeverity(e: SlipwayEvent): Severity {
  if (e.type === 'incident.resolved') return 'info';
  const sev = str(e.data, 'severity');
  if (sev === 'SEV1' || sev === 'SEV2') return 'critical';
  // A page asks someone to act: never mere information.
  if (PAGE_EVENT_TYPES.includes(e.type)) return 'warning';
  if (e.type === 'incident.opened') return sev === undefined ? 'critical' : 'warning';
  return 'info';
}

function pageMessage(e: SlipwayEvent, id: string): NotificationMessage {
  const d = e.data;
  const users = Array.isArray(d.users) ? d.users.join(', ') : '';
  const fields = { ...fieldsOf(d, [['Title', 'title'], ['Severity', 'severity'], ['Service', 'service'], ['Environment', 'environment'], ['Alarm', 'alarm'], ['Policy', 'policy'], ['Level', 'level']]), ...(users === '' ? {} : { Paged: users }) };
  const again = e.type === 'incident.escalated' ? ' (escalated: not acknowledged in time)' : '';
  return message(e, incidentSeverity(e), `Page: incident ${id} ${str(d, 'severity') ?? ''} ${str(d, 'title') ?? ''}, level ${str(d, 'level') ?? '?'}${again}`.replace(/\s+/g, ' '), fields);
}

function incidentMessage(e: SlipwayEvent): NotificationMessage {
  const d = e.data;
  const id = str(d, 'incidentId') ?? str(d, 'id') ?? e.subject.replace(/^incident\//, '');
  if (PAGE_EVENT_TYPES.includes(e.type)) return pageMessage(e, id);
  const what = e.type.slice('incident.'.length).replace(/[._]/g, ' ');
  const fields = fieldsOf(d, [['Title', 'title'], ['Severity', 'severity'], ['Service', 'service'], ['Environment', 'environment'], ['Alarm', 'alarm'], ['Deployment', 'deploymentId'], ['Summary', 'summary'], ['Note', 'note']]);
  return message(e, incidentSeverity(e), `Incident ${id} ${what}`, fields);
}

/**
 * The notification for an event, or undefined when the event is not one slipway notifies about
 * (see {@link NOTIFIED_EVENT_TYPES}).
 */
export function buildMessage(e: SlipwayEvent): NotificationMessage | undefined {
  if (e.type === 'alarm.state.changed') return alarmMessage(e);
  const deployment = DEPLOYMENT[e.type];
  if (deployment !== undefined) return deploymentMessage(e, deployment);
  if (e.type === 'pipeline.run.failed' || e.type === 'pipeline.run.succeeded') return pipelineMessage(e);
  if (e.type.startsWith('incident.')) return incidentMessage(e);
  return undefined;
}
