import fs from 'node:fs';
import type { Command } from 'commander';
import type { ActionItemDto, IncidentActionDto, IncidentDetailDto, IncidentDto, PostmortemDto } from '../../shared/index.js';
import { isPostmortemOverdue } from '../../shared/index.js';
import { ApiClient, type ClientOptions } from '../client.js';
import { formatAge, printJson, println, table } from '../output.js';

interface JsonOption {
  json?: boolean;
}

const client = (cmd: Command) => ApiClient.from(cmd.optsWithGlobals<ClientOptions>());
const time = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().replace('.000Z', 'Z'));

/**
 * `slipway incidents list|show|open|ack|mitigate|resolve|assign|note|rollback|postmortem`:
 * incidents, their timelines and postmortems (docs/incidents.md).
 */
export function incidentsCommand(program: Command): void {
  const incidents = program.command('incidents').description('incidents: list, show with timeline, acknowledge, mitigate, resolve, postmortems');

  incidents
    .command('list', { isDefault: true })
    .description('list incidents, newest first')
    .option('--open', 'only open incidents (Triggered, Acknowledged, Mitigated)')
    .option('--service <service>', 'only this service')
    .option('--json', 'print JSON')
    .action(async (opts: JsonOption & { open?: boolean; service?: string }, cmd: Command) => {
      const answer = await client(cmd).get<{ incidents: IncidentDto[] }>('/api/v1/incidents', { open: opts.open ? 'true' : undefined, service: opts.service });
      if (opts.json) return printJson(answer.incidents);
      if (answer.incidents.length === 0) return println('no incidents');
      println(
        table(
          ['id', 'severity', 'state', 'service', 'title', 'triggered', 'assignee'],
          answer.incidents.map((i) => [String(i.id), i.severity, i.state, [i.service, i.environment].filter(Boolean).join('/') || '-', i.title, time(i.triggeredAtMs), i.assignee ?? '-']),
        ),
      );
    });

  incidents
    .command('show <id>')
    .description('an incident with its timeline (from the event log), notes and actions')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: JsonOption, cmd: Command) => {
      const i = await client(cmd).get<IncidentDetailDto>(`/api/v1/incidents/${encodeURIComponent(id)}`);
      if (opts.json) return printJson(i);
      println(`incident ${i.id}  ${i.severity}  ${i.state}  ${i.title}`);
      println(`  service      ${[i.service, i.environment].filter(Boolean).join(' in ') || '-'}`);
      if (i.alarm !== null) println(`  alarm        ${i.alarm} (now ${i.alarmState ?? '?'})`);
      if (i.deploymentId !== null) println(`  deployment   ${i.deploymentId}`);
      println(`  assignee     ${i.assignee ?? '-'}`);
      // Older servers answer without the escalation.
      const esc = i.escalation ?? null;
      if (esc !== null) {
        const state = esc.ended !== null ? `ended: ${esc.ended}` : esc.nextEscalationAtMs === null ? 'last level paged' : `next level at ${time(esc.nextEscalationAtMs)} unless acknowledged`;
        println(`  paging       ${esc.policy}: ${esc.pages} page${esc.pages === 1 ? '' : 's'}, last level ${esc.level} (${[...esc.users, ...esc.topics.map((t) => `topic ${t}`)].join(', ') || 'nobody'}) at ${time(esc.lastPagedAtMs)}; ${state}`);
      }
      println(`  triggered    ${time(i.triggeredAtMs)}${i.resolvedAtMs === null ? '' : `, resolved ${time(i.resolvedAtMs)} (${formatAge(i.resolvedAtMs - i.triggeredAtMs)})`}`);
      // Older servers answer without the cause fields.
      const cause = i.likelyCause ?? null;
      println(`  likely cause ${cause === null ? '- (no change in the event log is named)' : `${cause.summary}: ${cause.reason}`}`);
      const also = i.alsoChanged ?? [];
      if (also.length > 0) {
        println('  also changed');
        for (const c of also.slice(0, 10)) println(`    ${c.summary}, ${formatAge(Math.abs(c.beforeTriggerMs))} ${c.beforeTriggerMs >= 0 ? 'before' : 'after'} the trigger${c.sameEnvironment ? '' : ' (another environment)'}`);
        if (also.length > 10) println(`    … ${also.length - 10} more (--json)`);
      }
      // Older servers answer without the deadline and the action items.
      if (i.postmortemAtMs === null && i.postmortemDueAtMs != null) println(`  postmortem   due ${time(i.postmortemDueAtMs)}${isPostmortemOverdue(i, Date.now()) ? ' (overdue)' : ''}`);
      const items = i.actionItems ?? [];
      if (items.length > 0) {
        println('  action items');
        for (const a of items) println(`    ${a.itemId}. [${a.status}] ${a.text} (${a.owner}, due ${a.dueDate})`);
      }
      println('');
      println('timeline');
      for (const e of i.timeline) println(`  ${time(e.timeMs)}  ${e.likelyCause ? '!' : ' '} ${e.summary}${e.likelyCause ? `  ← likely cause: ${e.likelyCauseReason ?? ''}` : ''}`);
    });

  incidents
    .command('open <title>')
    .description('open an incident by hand')
    .option('--severity <sev>', 'SEV1 to SEV4', 'SEV3')
    .option('--service <service>', 'the affected service')
    .option('--environment <env>', 'the affected environment')
    .option('--assignee <who>', 'who owns it')
    .option('--json', 'print JSON')
    .action(async (title: string, opts: JsonOption & { severity: string; service?: string; environment?: string; assignee?: string }, cmd: Command) => {
      const body = { title, severity: opts.severity, service: opts.service, environment: opts.environment, assignee: opts.assignee };
      printIncident(await client(cmd).post<IncidentDto>('/api/v1/incidents', body), opts.json);
    });

  for (const [verb, path, what] of [
    ['ack', 'ack', 'acknowledge an incident (you become its assignee unless it has one)'],
    ['mitigate', 'mitigate', 'mark an incident mitigated (the impact has stopped)'],
    ['resolve', 'resolve', 'resolve an incident (it was acknowledged or mitigated first)'],
  ] as const) {
    incidents
      .command(`${verb} <id>`)
      .description(what)
      .option('--by <who>', 'who does it')
      .option('--reason <text>', 'why')
      .option('--json', 'print JSON')
      .action(async (id: string, opts: JsonOption & { by?: string; reason?: string }, cmd: Command) => {
        printIncident(await client(cmd).post<IncidentDto>(`/api/v1/incidents/${encodeURIComponent(id)}/${path}`, { by: opts.by, reason: opts.reason }), opts.json);
      });
  }

  incidents
    .command('assign <id> <assignee>')
    .description('set who owns an incident')
    .option('--json', 'print JSON')
    .action(async (id: string, assignee: string, opts: JsonOption, cmd: Command) => {
      printIncident(await client(cmd).post<IncidentDto>(`/api/v1/incidents/${encodeURIComponent(id)}/assign`, { assignee }), opts.json);
    });

  incidents
    .command('note <id> <text>')
    .description("add a note to an incident's timeline")
    .option('--author <who>', 'who writes it')
    .action(async (id: string, text: string, opts: { author?: string }, cmd: Command) => {
      await client(cmd).post(`/api/v1/incidents/${encodeURIComponent(id)}/notes`, { text, author: opts.author });
      println(`note added to incident ${id}`);
    });

  const items = incidents.command('item').description("an incident's action items: follow-ups with an owner, a due date and a status");
  const printItem = (id: string, a: ActionItemDto, json: boolean | undefined) =>
    json ? printJson(a) : println(`incident ${id} action item ${a.itemId}: [${a.status}] ${a.text} (${a.owner}, due ${a.dueDate})`);
  items
    .command('add <id> <text>')
    .description('add an action item')
    .requiredOption('--owner <who>', 'who sees it done')
    .requiredOption('--due <date>', 'when it is due, YYYY-MM-DD')
    .option('--by <who>', 'who records it')
    .option('--json', 'print JSON')
    .action(async (id: string, text: string, opts: JsonOption & { owner: string; due: string; by?: string }, cmd: Command) => {
      printItem(id, await client(cmd).post<ActionItemDto>(`/api/v1/incidents/${encodeURIComponent(id)}/action-items`, { text, owner: opts.owner, dueDate: opts.due, by: opts.by }), opts.json);
    });
  items
    .command('set <id> <itemId>')
    .description("change an action item's status, owner or due date")
    .option('--status <status>', 'Open, InProgress or Done')
    .option('--owner <who>', 'a new owner')
    .option('--due <date>', 'a new due date, YYYY-MM-DD')
    .option('--by <who>', 'who changes it')
    .option('--json', 'print JSON')
    .action(async (id: string, itemId: string, opts: JsonOption & { status?: string; owner?: string; due?: string; by?: string }, cmd: Command) => {
      const body = { status: opts.status, owner: opts.owner, dueDate: opts.due, by: opts.by };
      printItem(id, await client(cmd).request<ActionItemDto>('PATCH', `/api/v1/incidents/${encodeURIComponent(id)}/action-items/${encodeURIComponent(itemId)}`, body), opts.json);
    });

  incidents
    .command('rollback <id> <deploymentId>')
    .description('roll a deployment back as a mitigation of an incident, and record it')
    .option('--by <who>', 'who does it')
    .option('--json', 'print JSON')
    .action(async (id: string, deploymentId: string, opts: JsonOption & { by?: string }, cmd: Command) => {
      const a = await client(cmd).post<IncidentActionDto>(`/api/v1/incidents/${encodeURIComponent(id)}/actions`, { kind: 'rollback', deploymentId: Number(deploymentId), by: opts.by });
      if (opts.json) return printJson(a);
      println(`rollback of deployment ${deploymentId}: ${a.ok ? 'done' : 'failed'} — ${a.message}`);
    });

  incidents
    .command('postmortem <id>')
    .description('print the postmortem (a generated draft until one is written); --write FILE stores it')
    .option('--write <file>', 'store this Markdown file as the postmortem (a Resolved incident becomes PostmortemDone)')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: JsonOption & { write?: string }, cmd: Command) => {
      const url = `/api/v1/incidents/${encodeURIComponent(id)}/postmortem`;
      const pm =
        opts.write === undefined
          ? await client(cmd).get<PostmortemDto>(url)
          : await client(cmd).request<PostmortemDto>('PUT', url, { markdown: fs.readFileSync(opts.write, 'utf8') });
      if (opts.json) return printJson(pm);
      if (opts.write !== undefined) return println(`postmortem of incident ${id} stored`);
      process.stdout.write(pm.markdown.endsWith('\n') ? pm.markdown : `${pm.markdown}\n`);
    });
}

function printIncident(i: IncidentDto, json: boolean | undefined): void {
  if (json) return printJson(i);
  println(`incident ${i.id} is ${i.state} (${i.severity}${i.assignee === null ? '' : `, ${i.assignee}`}): ${i.title}`);
}
