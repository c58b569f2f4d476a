import type { SlipwayEvent } from '../core/index.js';
import { deploymentIdOf, str } from './event-fields.js';

/** One human line for an event of a timeline. */
export function summarize(e: SlipwayEvent): string {
  const d = e.data;
  const svc = [str(e, 'service'), str(e, 'environment')].filter((x) => x !== undefined).join(' in ');
  const reason = str(e, 'reason');
  const why = reason === undefined ? '' : ` (${reason})`;
  if (e.type.startsWith('deployment.')) {
    const id = deploymentIdOf(e);
    const revs = `${str(e, 'fromRevision') ?? '∅'} → ${str(e, 'toRevision') ?? '?'}`;
    const verb = e.type.slice('deployment.'.length).replace(/[._]/g, ' ');
    return `deployment ${id ?? '?'} of ${svc || 'a service'} ${verb}: ${revs}${why}`;
  }
  if (e.type === 'service.traffic.shifted') return `traffic of ${svc} shifted to ${weights(d.to)}${why}`;
  if (e.type.startsWith('alarm.')) {
    const alarm = str(e, 'alarm') ?? e.subject.replace(/^alarm\//, '');
    return `alarm ${alarm} ${str(e, 'oldState') ?? '?'} → ${str(e, 'newState') ?? '?'}${why}`;
  }
  if (e.type.startsWith('pipeline.')) {
    const run = d.runId ?? e.subject.replace(/^pipeline-run\//, '');
    const commit = str(e, 'commitSha') ?? str(e, 'revision') ?? str(e, 'commit');
    return `pipeline run ${String(run)} ${e.type.slice('pipeline.'.length).replace(/^run\./, '').replace(/[._]/g, ' ')}${commit === undefined ? '' : ` at ${commit.slice(0, 12)}`}${str(e, 'branch') === undefined ? '' : ` on ${str(e, 'branch')}`}`;
  }
  if (e.type.startsWith('flag.')) return `flag ${str(e, 'flag') ?? str(e, 'key') ?? e.subject} ${e.type.slice('flag.'.length).replace(/[._]/g, ' ')}${why}`;
  if (e.type.startsWith('task.')) return `task ${str(e, 'taskId') ?? e.subject} of ${svc} ${e.type.slice('task.'.length).replace(/[._]/g, ' ')}${str(e, 'revision') === undefined ? '' : ` (${str(e, 'revision')})`}`;
  if (e.type.startsWith('incident.')) return incidentSummary(e);
  return `${e.type} ${e.subject}${why}`;
}

function incidentSummary(e: SlipwayEvent): string {
  const by = str(e, 'by') ?? str(e, 'author');
  const suffix = by === undefined ? '' : ` by ${by}`;
  switch (e.type) {
    case 'incident.note.added':
      return `note${suffix}: ${str(e, 'text') ?? ''}`;
    case 'incident.action.recorded':
      return `action ${str(e, 'kind') ?? '?'}${suffix}: ${str(e, 'message') ?? str(e, 'description') ?? ''}`;
    case 'incident.opened':
      return `incident opened: ${str(e, 'title') ?? ''} (${str(e, 'severity') ?? '?'})`;
    case 'incident.paged':
    case 'incident.escalated':
      return pageSummary(e);
    case 'incident.escalation.ended':
      return `escalation ended: ${str(e, 'reason') ?? '?'} after ${String(e.data.pages)} page${e.data.pages === 1 ? '' : 's'}`;
    default:
      return `incident ${e.type.slice('incident.'.length).replace(/[._]/g, ' ')}${suffix}${str(e, 'reason') === undefined ? '' : ` (${str(e, 'reason')})`}`;
  }
}

function pageSummary(e: SlipwayEvent): string {
  const targets = Array.isArray(e.data.targets) ? (e.data.targets as Record<string, unknown>[]) : [];
  const who = targets.map((t) => (t.kind === 'schedule' ? `${typeof t.user === 'string' ? t.user : 'nobody'} (on call on ${String(t.schedule)})` : t.kind === 'topic' ? `topic ${String(t.topic)}` : String(t.user)));
  const loop = Number(e.data.loop) > 0 ? `, pass ${Number(e.data.loop) + 1}` : '';
  const verb = e.type === 'incident.paged' ? 'paged' : 'escalated: paged';
  return `${verb} level ${String(e.data.level)} of ${str(e, 'policy') ?? '?'}${loop}: ${who.join(', ') || 'nobody'}`;
}

function weights(v: unknown): string {
  if (typeof v !== 'object' || v === null) return '?';
  return Object.entries(v as Record<string, unknown>)
    .map(([rev, pct]) => `${rev} ${String(pct)}%`)
    .join(', ');
}
