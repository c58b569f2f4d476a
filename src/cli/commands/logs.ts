import type { Command } from 'commander';
import { InputError, formatDuration, tryParseDuration, type LogGroupsDto } from '../../shared/index.js';
import { ApiClient, type ClientOptions } from '../client.js';
import { printJson, println, table } from '../output.js';

interface QueryOptions extends ClientOptions {
  since: string;
  timeout?: string;
  maxRecordsScanned?: string;
  json?: boolean;
}

interface TailOptions extends ClientOptions {
  env?: string;
  stream?: string;
  limit: string;
  follow?: boolean;
  json?: boolean;
  intervalMs?: string;
}

interface QueryAnswer {
  columns: string[];
  rows: Record<string, string | number | null>[];
  statistics: { recordsScanned: number; recordsMatched: number };
}

interface TailAnswer {
  events: { id: number; timeMs: number; group: string; stream: string; severity: string; message: string }[];
  nextAfter: number;
}

/** `slipway logs query '<q>' [--since 1h] [--json]` and `slipway logs tail <service> [--env E] [--follow]`. */
export function logsCommand(program: Command): void {
  const logs = program.command('logs').description('query and tail logs (CloudWatch Logs Insights syntax)');
  logs
    .command('query <query>')
    .description("run a Logs Insights query, e.g. 'filter @message like \"ERROR\" | stats count(*) by bin(5m)'")
    .option('--since <duration>', 'how far back to look', '1h')
    .option('--timeout <duration>', 'time budget of the query (server default 10s, at most 60s)')
    .option('--max-records-scanned <n>', 'record budget of the query (server default 1000000)')
    .option('--json', 'print JSON')
    .action(async (query: string, opts: QueryOptions, cmd: Command) => {
      const client = ApiClient.from(cmd.optsWithGlobals<ClientOptions>());
      const budget: { timeoutMs?: number; maxRecordsScanned?: number } = {};
      if (opts.timeout !== undefined) {
        const ms = tryParseDuration(opts.timeout);
        if (ms === undefined || ms <= 0) throw new InputError('SLW_ERR_API_VALIDATION', `--timeout: expected a duration such as "30s", got "${opts.timeout}"`);
        budget.timeoutMs = ms;
      }
      if (opts.maxRecordsScanned !== undefined) {
        if (!/^\d+$/.test(opts.maxRecordsScanned)) throw new InputError('SLW_ERR_API_VALIDATION', `--max-records-scanned: expected a number, got "${opts.maxRecordsScanned}"`);
        budget.maxRecordsScanned = Number(opts.maxRecordsScanned);
      }
      const answer = await client.post<QueryAnswer>('/api/v1/logs/query', { query, since: opts.since, ...budget });
      if (opts.json) return printJson(answer);
      println(table(answer.columns, answer.rows.map((r) => answer.columns.map((c) => (r[c] === null || r[c] === undefined ? '' : String(r[c]))))));
      println(`\n${answer.rows.length} rows; ${answer.statistics.recordsMatched} of ${answer.statistics.recordsScanned} records matched`);
    });
  logs
    .command('groups')
    .description('every log group: its streams, retention, and what it stores (records, bytes)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const answer = await ApiClient.from(cmd.optsWithGlobals<ClientOptions>()).get<LogGroupsDto>('/api/v1/logs/groups', { sizes: 'true' });
      if (opts.json) return printJson(answer);
      if (answer.groups.length === 0) return println('no log groups yet');
      println(table(['group', 'streams', 'records', 'stored', 'retention', 'last event'], answer.groups.map((g) => [g.name, String(g.streams.length), String(g.stored?.records ?? ''), g.stored ? bytes(g.stored.bytes) : '', formatDuration(g.retentionMs), new Date(g.lastEventMs).toISOString()])));
    });
  logs
    .command('tail <service>')
    .description("print a service's latest log lines")
    .option('--env <environment>', 'only this environment (otherwise every environment)')
    .option('--stream <task>', 'only this task')
    .option('--limit <n>', 'lines to start with', '100')
    .option('-f, --follow', 'keep printing new lines')
    .option('--json', 'print one JSON object per line')
    .action(async (service: string, opts: TailOptions, cmd: Command) => {
      const client = ApiClient.from(cmd.optsWithGlobals<ClientOptions>());
      if (!/^\d+$/.test(opts.limit)) throw new InputError('SLW_ERR_API_VALIDATION', `--limit: expected a number, got "${opts.limit}"`);
      const where = opts.env !== undefined ? { group: `/slipway/${opts.env}/${service}` } : { service };
      const print = (e: TailAnswer['events'][number]) =>
        println(opts.json ? JSON.stringify(e) : `${new Date(e.timeMs).toISOString()} ${e.stream} ${e.message}`);
      let page = await client.get<TailAnswer>('/api/v1/logs/tail', { ...where, stream: opts.stream, limit: opts.limit });
      page.events.forEach(print);
      if (!opts.follow) return;
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      try {
        while (!stop.signal.aborted) {
          await new Promise((r) => setTimeout(r, 1000));
          page = await client.get<TailAnswer>('/api/v1/logs/tail', { ...where, stream: opts.stream, after: page.nextAfter, limit: 1000 });
          page.events.forEach(print);
        }
      } finally {
        process.off('SIGINT', onSignal);
      }
    });
}

/** A size in B, KiB, MiB or GiB. */
function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}
