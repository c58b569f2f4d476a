import { formatDuration, type IncidentActionDto, type IncidentNoteDto } from '../shared/index.js';
import { IMPACT_ERROR_METRIC, type Impact } from './impact.js';
import type { Incident } from './model.js';
import type { TimelineEntry } from './timeline.js';

/** What a postmortem draft is generated from. */
export interface PostmortemInput {
  readonly incident: Incident;
  readonly timeline: readonly TimelineEntry[];
  readonly impact: Impact;
  readonly actions: readonly IncidentActionDto[];
  readonly notes: readonly IncidentNoteDto[];
}

/** Timeline rows a draft shows at most (the API has them all). */
export const POSTMORTEM_TIMELINE_ROWS = 200;

const BLANK = '_…_';

/**
 * Renders a blameless postmortem draft in Markdown (pure): summary, impact, timeline, root cause with a
 * Five Whys section pre-filled from the likely causes (blanks `_…_` to fill), mitigation, what went well
 * and badly, and action items with owners.
 */
export function renderPostmortem(input: PostmortemInput): string {
  const { incident: i, impact } = input;
  const causes = input.timeline.filter((e) => e.likelyCause);
  const where = i.service === null ? 'the system' : `${i.service}${i.environment === null ? '' : ` in ${i.environment}`}`;
  const lines: string[] = [
    `# Postmortem: incident ${i.id} — ${i.title}`,
    '',
    '> Blameless: this review is about how the system and our processes behaved, not about who did what.',
    '',
    '| | |',
    '|---|---|',
    `| Severity | ${i.severity} |`,
    `| Affected | ${cell(where)} |`,
    `| State | ${i.state} |`,
    `| Triggered | ${time(i.triggeredAtMs)} |`,
    ...(i.acknowledgedAtMs === null ? [] : [`| Acknowledged | ${time(i.acknowledgedAtMs)} |`]),
    ...(i.mitigatedAtMs === null ? [] : [`| Mitigated | ${time(i.mitigatedAtMs)} |`]),
    `| Resolved | ${i.resolvedAtMs === null ? 'not yet' : time(i.resolvedAtMs)} |`,
    `| Duration | ${formatDuration(impact.durationMs)}${impact.ongoing ? ' so far' : ''} |`,
    `| Owner | ${cell(i.assignee ?? BLANK)} |`,
    '',
    '## Summary',
    '',
    `${summaryLine(i, where)} ${BLANK}`,
    '',
    '## Impact',
    '',
    `- Duration: ${formatDuration(impact.durationMs)} (${time(impact.startMs)} → ${impact.ongoing ? 'now, still open' : time(impact.endMs)}).`,
    `- ${errorLine(impact)}`,
    `- Who was affected, and how: ${BLANK}`,
    '',
    '## Timeline',
    '',
    ...timelineTable(input.timeline),
    '',
    '## Root cause',
    '',
    ...(causes.length === 0
      ? ['No change to the affected service was found shortly before the trigger in the event log.', '']
      : ['Likely causes found in the event log:', '', ...causes.map((c) => `- ${c.summary} — ${c.likelyCauseReason ?? ''}`), '']),
    '### Five whys',
    '',
    ...fiveWhys(i, where, causes),
    '',
    '## Mitigation',
    '',
    ...(input.actions.length === 0
      ? [`- ${BLANK}`]
      : input.actions.map((a) => `- ${time(a.timeMs)} ${a.kind === 'rollback' ? `rollback of deployment ${a.deploymentId}` : cell(a.description ?? '')} by ${a.by}: ${a.ok ? 'done' : 'failed'} — ${a.message}`)),
    '',
    '## What went well',
    '',
    ...(i.mitigatedAtMs !== null && i.mitigatedAtMs - i.triggeredAtMs >= 0 ? [`- Mitigated ${formatDuration(i.mitigatedAtMs - i.triggeredAtMs)} after the trigger.`] : []),
    `- ${BLANK}`,
    '',
    '## What went badly',
    '',
    `- ${BLANK}`,
    '',
    '## Action items',
    '',
    '| action | owner | due | status |',
    '|---|---|---|---|',
    ...actionItems(i, causes),
    '',
    ...(input.notes.length === 0 ? [] : ['## Notes', '', ...input.notes.map((n) => `- ${time(n.timeMs)} ${n.author}: ${n.text.replace(/\n/g, ' ')}`), '']),
  ];
  return lines.join('\n');
}

function summaryLine(i: Incident, where: string): string {
  const trigger = i.alarm === null ? `was opened by hand at ${time(i.triggeredAtMs)}` : `was opened when alarm \`${i.alarm}\` went to ALARM at ${time(i.triggeredAtMs)}`;
  const steps = [
    i.acknowledgedAtMs === null ? undefined : `acknowledged after ${formatDuration(Math.max(0, i.acknowledgedAtMs - i.triggeredAtMs))}`,
    i.mitigatedAtMs === null ? undefined : `mitigated after ${formatDuration(Math.max(0, i.mitigatedAtMs - i.triggeredAtMs))}`,
    i.resolvedAtMs === null ? undefined : `resolved after ${formatDuration(Math.max(0, i.resolvedAtMs - i.triggeredAtMs))}`,
  ].filter((s): s is string => s !== undefined);
  return `Incident ${i.id} (${i.severity}) affecting ${where} ${trigger}${steps.length === 0 ? '' : `; it was ${steps.join(', ')}`}.`;
}

function errorLine(impact: Impact): string {
  if (impact.target5xxCount === null) return `Errors: not measured (${impact.note ?? 'no data'}).`;
  const ratio = impact.requestCount !== null && impact.requestCount > 0 ? ` of ${impact.requestCount} requests (${((impact.target5xxCount / impact.requestCount) * 100).toFixed(2)}%)` : '';
  return `Errors: ${impact.target5xxCount} 5xx answers${ratio} (${IMPACT_ERROR_METRIC}, Sum, during the incident).`;
}

function timelineTable(entries: readonly TimelineEntry[]): string[] {
  if (entries.length === 0) return ['No events were recorded around the incident.'];
  const shown = entries.slice(0, POSTMORTEM_TIMELINE_ROWS);
  return [
    '| time (UTC) | what happened | note |',
    '|---|---|---|',
    ...shown.map((e) => `| ${time(e.timeMs)} | ${cell(e.summary)} | ${e.likelyCause ? `**likely cause**: ${cell(e.likelyCauseReason ?? '')}` : ''} |`),
    ...(entries.length > shown.length ? ['', `… ${entries.length - shown.length} more events: \`slipway incidents show <id>\`.`] : []),
  ];
}

function fiveWhys(i: Incident, where: string, causes: readonly TimelineEntry[]): string[] {
  const first = i.alarm === null ? `${where} misbehaved (${i.title}).` : `${where} tripped alarm \`${i.alarm}\`.`;
  const cause = causes.find((c) => c.type.startsWith('deployment.')) ?? causes[0];
  const answers = [first, cause === undefined ? BLANK : `${cause.summary} (${cause.likelyCauseReason ?? 'likely cause'}).`, BLANK, BLANK, BLANK];
  const questions = ['Why did the incident happen?', 'Why did that happen?', 'Why did that change cause the failure?', 'Why was it not caught before production?', 'Why did our process allow that?'];
  return questions.map((q, n) => `${n + 1}. **${q}** ${answers[n]}`);
}

function actionItems(i: Incident, causes: readonly TimelineEntry[]): string[] {
  const owner = cell(i.assignee ?? BLANK);
  const rows = causes
    .filter((c) => c.type === 'deployment.started' || c.type === 'deployment.succeeded')
    .map((c) => c.subject)
    .filter((s, n, all) => all.indexOf(s) === n)
    .map((s) => `| Find out why ${s.replace('/', ' ')} caused the failure and add a test that catches it | ${owner} | ${BLANK} | open |`);
  return [...rows, `| ${BLANK} | ${owner} | ${BLANK} | open |`];
}

function time(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
