import type { Command } from 'commander';
import { InputError, isRunbookUrl, tryParseDuration, type AlarmDetailDto, type AlarmDto, type AlarmHistoryDto } from '../../shared/index.js';
import { ApiClient, type ClientOptions } from '../client.js';
import { printJson, println, table } from '../output.js';

interface JsonOption {
  json?: boolean;
}

const path = (name: string, suffix = ''): string => `/api/v1/alarms/${encodeURIComponent(name)}${suffix}`;

function stateLine(a: AlarmDto): string {
  return `${a.name}: ${a.state}${a.muted && a.mutedUntil !== null ? ` (muted until ${a.mutedUntil})` : ''}`;
}

/** `slipway alarms list|show <name>|history <name>|mute <name> --for 30m|unmute <name>`. */
export function alarmsCommand(program: Command): void {
  const alarms = program.command('alarms').description('alarm states, history and mutes');
  const client = (cmd: Command) => ApiClient.from(cmd.optsWithGlobals<ClientOptions>());

  alarms
    .command('list', { isDefault: true })
    .description('every alarm with its state')
    .option('--json', 'print JSON')
    .action(async (opts: JsonOption, cmd: Command) => {
      const { alarms: list } = await client(cmd).get<{ alarms: AlarmDto[] }>('/api/v1/alarms');
      if (opts.json) return printJson(list);
      if (list.length === 0) return println('no alarms defined');
      println(table(['name', 'kind', 'state', 'since', 'muted', 'reason'], list.map((a) => [a.name, a.kind, a.state, a.updatedAt, a.muted ? `until ${a.mutedUntil ?? '?'}` : '', a.error ?? a.reason])));
    });

  alarms
    .command('show <name>')
    .description('one alarm: its state, what it watches, its topics and its runbook')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: JsonOption, cmd: Command) => {
      const a = await client(cmd).get<AlarmDetailDto>(path(name));
      if (opts.json) return printJson(a);
      println(stateLine(a));
      const rows: [string, string | null][] = [
        ['kind', a.kind],
        ['description', a.description],
        ['service', a.service],
        ['environment', a.environment],
        ['since', a.updatedAt],
        ['reason', a.error ?? a.reason],
        ['notify', a.notify.length > 0 ? a.notify.join(', ') : null],
        ['runbook', a.runbook],
      ];
      for (const [k, v] of rows) if (v !== null) println(`  ${k}: ${v}`);
      if (a.runbookMarkdown !== null) println(`\n${a.runbookMarkdown.trimEnd()}`);
      else if (a.runbook !== null && !isRunbookUrl(a.runbook)) println(`  (the runbook file ${a.runbook} cannot be read next to the config file)`);
    });

  alarms
    .command('history <name>')
    .description("an alarm's state changes, actions and mutes, newest first")
    .option('--limit <n>', 'at most this many entries', '50')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: JsonOption & { limit: string }, cmd: Command) => {
      const { history } = await client(cmd).get<{ history: AlarmHistoryDto[] }>(path(name, '/history'), { limit: opts.limit });
      if (opts.json) return printJson(history);
      if (history.length === 0) return println(`no history for ${name}`);
      println(table(['time', 'type', 'summary'], history.map((h) => [h.time, h.type, h.summary])));
    });

  alarms
    .command('mute <name>')
    .description("suppress an alarm's actions for a while (it keeps evaluating)")
    .requiredOption('--for <duration>', 'how long, e.g. 30m or 2h')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: JsonOption & { for: string }, cmd: Command) => {
      if ((tryParseDuration(opts.for) ?? 0) <= 0) throw new InputError('SLW_ERR_API_VALIDATION', `--for: expected a duration such as "30m", got "${opts.for}"`);
      const alarm = await client(cmd).post<AlarmDto>(path(name, '/mute'), { for: opts.for });
      if (opts.json) return printJson(alarm);
      println(stateLine(alarm));
    });

  alarms
    .command('unmute <name>')
    .description("run an alarm's actions again")
    .option('--json', 'print JSON')
    .action(async (name: string, opts: JsonOption, cmd: Command) => {
      const alarm = await client(cmd).request<AlarmDto>('DELETE', path(name, '/mute'));
      if (opts.json) return printJson(alarm);
      println(stateLine(alarm));
    });
}
