import { formatDuration, type ActionItemDto, type IncidentActionDto, type IncidentNoteDto } from '../shared/index.js';
import { describeChange } from './cause/change.js';
import type { AlsoChanged } from './cause/find-likely-cause.js';
import { BLANK, fiveWhys, type CausalChain } from './cause/five-whys.js';
import { IMPACT_ERROR_METRIC, type Impact } from './impact.js';
import type { Incident } from './model.js';
import type { TimelineEntry } from './timeline.js';

/** What a postmortem draft is generated from. */
export interface PostmortemInput {
  readonly incident: Incident;
  readonly timeline: readonly TimelineEntry[];
  readonly impact: Impact;
  readonly actions: readonly IncidentActionDto[];
  /** The follow-ups recorded so far; the draft lists them before its suggestions. @default [] */
  readonly actionItems?: readonly ActionItemDto[];
  readonly notes: readonly IncidentNoteDto[];
  /** The alarm, the change the facts name, its commit and pipeline run (see `cause/`). */
  readonly chain: CausalChain;
  /** The other changes around the trigger, ranked. */
  readonly alsoChanged: readonly AlsoChanged[];
}

/** "Also changed" rows a draft shows at most. */
export const POSTMORTEM_ALSO_CHANGED_ROWS = 20;

/** Timeline rows a draft shows at most (the API has them all). */
export const POSTMORTEM_TIMELINE_ROWS = 200;

/**
 * Renders a blameless postmortem draft in Markdown (pure): summary, impact, timeline, root cause (the
 * change the facts name, then what else changed) with a Five Whys section pre-filled from the causal
 * chain (blanks `_…_` to fill), mitigation, what went well and badly, and action items with owners.
 */
export function renderPostmortem(input: PostmortemInput): string {
  const { incident: i, impact } = input;
  const cause = input.chain.cause;
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
    ...(cause === undefined
      ? ['No change in the event log is named as the cause: no deployment in the affected environment before the trigger.', '']
      : [`Likely cause: ${describeChange(cause.change)} — ${cause.reason}.`, '']),
    ...alsoChangedLines(input.alsoChanged),
    '### Five whys',
    '',
    ...fiveWhys(i, where, input.chain),
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
    ...actionItems(i, input.chain, input.actionItems ?? []),
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
  const c = impact.counted;
  const span = c === undefined ? 'during the incident' : `from ${c.from} at ${time(c.startMs)} to ${c.until} at ${time(c.endMs)}, ${formatDuration(c.endMs - c.startMs)}`;
  return `Errors: ${impact.target5xxCount} 5xx answers${ratio} (${IMPACT_ERROR_METRIC}, Sum, ${span}).`;
}

function alsoChangedLines(also: readonly AlsoChanged[]): string[] {
  if (also.length === 0) return [];
  const shown = also.slice(0, POSTMORTEM_ALSO_CHANGED_ROWS);
  const when = (ms: number): string => (ms >= 0 ? `${formatDuration(ms)} before the trigger` : `${formatDuration(-ms)} after the trigger`);
  return [
    'Also changed around then (not named by any fact; same environment first, then closest in time):',
    '',
    ...shown.map((a) => `- ${describeChange(a.change)}, ${when(a.beforeTriggerMs)}${a.sameEnvironment ? '' : ' (another environment)'}`),
    ...(also.length > shown.length ? [`- … ${also.length - shown.length} more`] : []),
    '',
  ];
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

function actionItems(i: Incident, chain: CausalChain, recorded: readonly ActionItemDto[]): string[] {
  if (recorded.length > 0) return recorded.map((a) => `| ${cell(a.text)} | ${cell(a.owner)} | ${a.dueDate} | ${a.status} |`);
  const owner = cell(i.assignee ?? BLANK);
  const c = chain.cause?.change;
  const what = c === undefined ? '' : c.kind === 'deployment' ? `deployment ${c.deploymentId} (${c.service} ${c.toRevision ?? ''})` : `${c.rolloutId === null ? 'the change' : `flag rollout ${c.rolloutId}`} of flag ${c.key}`;
  const rows = c === undefined ? [] : [`| Find out why ${what} caused the failure and add a check that catches it before ${c.environment} | ${owner} | ${BLANK} | open |`];
  return [...rows, `| ${BLANK} | ${owner} | ${BLANK} | open |`];
}

function time(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
