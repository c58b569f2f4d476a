import type { Command } from 'commander';
import { InputError } from '../../shared/index.js';
import type { ServiceMap, TraceSummary, TraceView } from '../../telemetry/index.js';
import { ApiClient, type ClientOptions } from '../client.js';
import { printJson, println, table } from '../output.js';

interface ListOptions extends ClientOptions {
  service?: string;
  operation?: string;
  minDuration?: string;
  errors?: boolean;
  since: string;
  limit: string;
  json?: boolean;
}

const ms = (v: number) => `${v.toFixed(1)}ms`;

/** `slipway traces list [--service S] [--min-duration 100ms] [--json]` and `slipway traces show <id> [--json]`. */
export function tracesCommand(program: Command): void {
  const traces = program.command('traces').description('search and show traces');
  traces
    .command('list')
    .description('recent traces, newest first')
    .option('--service <service>', 'with a span of this service')
    .option('--operation <name>', 'with a span of this operation')
    .option('--min-duration <duration>', 'with a span at least this long, e.g. 100ms')
    .option('--errors', 'only traces with a failed span')
    .option('--since <duration>', 'how far back to look', '1h')
    .option('--limit <n>', 'at most this many traces', '20')
    .option('--json', 'print JSON')
    .action(async (opts: ListOptions, cmd: Command) => {
      const client = ApiClient.from(cmd.optsWithGlobals<ClientOptions>());
      const minDurationMs = opts.minDuration === undefined ? undefined : durationMs(opts.minDuration);
      const { traces: found } = await client.get<{ traces: TraceSummary[] }>('/api/v1/traces', {
        service: opts.service, operation: opts.operation, minDurationMs, status: opts.errors ? 'Error' : undefined, since: opts.since, limit: opts.limit,
      });
      if (opts.json) return printJson(found);
      println(table(['trace', 'start', 'root', 'duration', 'spans', 'error'],
        found.map((t) => [t.traceId, new Date(t.startMs).toISOString(), `${t.rootService} ${t.rootOperation}`, ms(t.durationMs), String(t.spanCount), t.error ? 'yes' : ''])));
    });
  traces
    .command('show <traceId>')
    .description('a trace as a text waterfall; * marks the critical path')
    .option('--json', 'print JSON')
    .action(async (traceId: string, opts: { json?: boolean }, cmd: Command) => {
      const client = ApiClient.from(cmd.optsWithGlobals<ClientOptions>());
      const view = await client.get<TraceView>(`/api/v1/traces/${encodeURIComponent(traceId)}`);
      if (opts.json) return printJson(view);
      for (const line of waterfall(view)) println(line);
    });
}

/** `slipway servicemap [--since 1h] [--json]`. */
export function servicemapCommand(program: Command): void {
  program
    .command('servicemap')
    .description('services, databases and external calls with request, error and fault counts')
    .option('--since <duration>', 'how far back to look', '1h')
    .option('--json', 'print JSON')
    .action(async (opts: { since: string; json?: boolean }, cmd: Command) => {
      const client = ApiClient.from(cmd.optsWithGlobals<ClientOptions>());
      const map = await client.get<ServiceMap>('/api/v1/service-map', { since: opts.since });
      if (opts.json) return printJson(map);
      println(table(['node', 'type', 'requests', 'errors', 'faults', 'p50', 'p99'],
        map.nodes.map((n) => [n.id, n.type, String(n.requests), String(n.errors), String(n.faults), ms(n.p50Ms), ms(n.p99Ms)])));
      println();
      println(table(['caller', 'callee', 'requests', 'errors', 'faults', 'p50', 'p99'],
        map.edges.map((e) => [e.source, e.target, String(e.requests), String(e.errors), String(e.faults), ms(e.p50Ms), ms(e.p99Ms)])));
    });
}

/** The lines of a text waterfall: indented names, offsets, durations and a bar 40 characters wide. */
export function waterfall(view: TraceView, width = 40): string[] {
  const scale = view.durationMs > 0 ? width / view.durationMs : 0;
  const lines = [`trace ${view.traceId}  ${view.rootService} ${view.rootOperation}  ${ms(view.durationMs)}  ${view.spanCount} spans`];
  for (const s of view.spans) {
    const from = Math.min(width - 1, Math.floor(s.offsetMs * scale));
    const len = Math.max(1, Math.round(s.durationMs * scale));
    const bar = `${' '.repeat(from)}${'█'.repeat(Math.min(len, width - from))}`.padEnd(width);
    const mark = s.critical ? '*' : ' ';
    const status = s.status === 'Error' ? ' !' : '';
    lines.push(`${bar} ${mark} ${'  '.repeat(s.depth)}${s.service}: ${s.name}  +${ms(s.offsetMs)} ${ms(s.durationMs)}${status}`);
  }
  for (const e of view.errors) lines.push(`error in ${e.service} ${e.name}: ${[e.type, e.message].filter(Boolean).join(': ')}`);
  return lines;
}

function durationMs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text);
  if (m === null) throw new InputError('SLW_ERR_API_VALIDATION', `--min-duration: expected a duration such as 100ms or 2s, got "${text}"`);
  const unit = m[2] ?? 'ms';
  return Number(m[1]) * (unit === 's' ? 1000 : unit === 'm' ? 60_000 : 1);
}
