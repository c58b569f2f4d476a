import type { Command } from 'commander';
import { InputError, mathReferences, parseDuration, parseMathExpression, type MetricDataResultDto } from '../../shared/index.js';
import { ApiClient, type ClientOptions } from '../client.js';
import { printJson, println, table } from '../output.js';

interface MetricsOptions extends ClientOptions {
  dim: string[];
  metric: string[];
  stat: string;
  period: string;
  since: string;
  json?: boolean;
}

interface MetricAnswer {
  timestamps: number[];
  values: number[];
}

function collect(value: string, previous: string[]): string[] {
  if (!/^[^=]+=.*$/.test(value)) throw new InputError('SLW_ERR_API_VALIDATION', `--dim: expected key=value, got "${value}"`);
  return [...previous, value];
}

function collectMetric(value: string, previous: string[]): string[] {
  if (!/^[a-z][A-Za-z0-9_]*=[^:]+(?::.+)?$/.test(value)) throw new InputError('SLW_ERR_API_VALIDATION', `--metric: expected id=MetricName or id=MetricName:stat (the id starts with a lowercase letter), got "${value}"`);
  return [...previous, value];
}

/** One `--metric id=Name[:stat]`, with the shared `--dim`s and `--stat`. */
function namedQuery(spec: string, dimensions: Record<string, string>, stat: string): { id: string; name: string; dimensions: Record<string, string>; stat: string } {
  const eq = spec.indexOf('=');
  const rest = spec.slice(eq + 1);
  const colon = rest.lastIndexOf(':');
  return { id: spec.slice(0, eq), name: colon < 0 ? rest : rest.slice(0, colon), dimensions, stat: colon < 0 ? stat : rest.slice(colon + 1) };
}

/**
 * `slipway metrics <name> [--dim k=v]... [--stat p99] [--period 1m] [--since 1h] [--json]`, or with
 * `--metric id=Name[:stat]` (repeatable) a metric math expression over those ids, e.g.
 * `slipway metrics 'errors / requests * 100' --metric errors=HTTPCode_Target_5XX_Count --metric requests=RequestCount --stat Sum`.
 */
export function metricsCommand(program: Command): void {
  program
    .command('metrics <name-or-expression>')
    .description("print a metric statistic per period, e.g. slipway metrics http.server.request.duration --dim service=gateway --stat p99; with --metric, a metric math expression: slipway metrics 'errors / requests * 100' --metric errors=HTTPCode_Target_5XX_Count --metric requests=RequestCount --stat Sum")
    .option('--dim <key=value>', 'a dimension the series must have (repeatable; with --metric, every metric)', collect, [])
    .option('--metric <id=name[:stat]>', 'a metric the expression refers to by id (repeatable); makes the argument an expression', collectMetric, [])
    .option('--stat <stat>', 'SampleCount, Sum, Average, Minimum, Maximum or pNN', 'Average')
    .option('--period <duration>', 'period length (1s to 1h)', '1m')
    .option('--since <duration>', 'how far back to look', '1h')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: MetricsOptions, cmd: Command) => {
      const client = ApiClient.from(cmd.optsWithGlobals<ClientOptions>());
      if (opts.metric.length > 0) return printExpression(client, name, opts);
      const dims = Object.fromEntries(opts.dim.map((d) => [`dim.${d.slice(0, d.indexOf('='))}`, d.slice(d.indexOf('=') + 1)]));
      const answer = await client.get<MetricAnswer>('/api/v1/metrics/query', { name, stat: opts.stat, period: opts.period, since: opts.since, ...dims });
      if (opts.json) return printJson(answer);
      if (answer.timestamps.length === 0) return println(`no data for ${name} in the last ${opts.since}`);
      println(table(['time', opts.stat], answer.timestamps.map((t, i) => [new Date(t).toISOString(), formatNumber(answer.values[i] ?? NaN)])));
    });
}

/** Runs an expression over the `--metric`s through `POST /api/v1/metrics/query` (the API checks and evaluates it). */
async function printExpression(client: ApiClient, expression: string, opts: MetricsOptions): Promise<void> {
  const dimensions = Object.fromEntries(opts.dim.map((d) => [d.slice(0, d.indexOf('=')), d.slice(d.indexOf('=') + 1)]));
  const queries = opts.metric.map((m) => namedQuery(m, dimensions, opts.stat));
  const ids = queries.map((q) => q.id);
  // Said here, before the request, so the message names the flag to add.
  for (const ref of mathReferences(parseMathExpression(expression))) {
    if (!ids.includes(ref)) throw new InputError('SLW_ERR_METRICS_MATH_INVALID', `the expression refers to "${ref}", which no --metric defines (ids: ${ids.join(', ')})`);
  }
  let resultId = 'expr';
  while (ids.includes(resultId)) resultId = `${resultId}_`;
  const answer = await client.post<MetricDataResultDto>('/api/v1/metrics/query', { queries, expressions: [{ id: resultId, expression }], periodMs: parseDuration(opts.period), since: opts.since });
  const result = answer.results.find((r) => r.id === resultId) ?? { timestamps: [], values: [] };
  if (opts.json) return printJson({ expression, periodMs: answer.periodMs, startMs: answer.startMs, endMs: answer.endMs, timestamps: result.timestamps, values: result.values, metrics: answer.results.filter((r) => r.id !== resultId) });
  if (result.timestamps.length === 0) return println(`no data for ${expression} in the last ${opts.since}`);
  println(table(['time', expression], result.timestamps.map((t, i) => [new Date(t).toISOString(), formatNumber(result.values[i] ?? NaN)])));
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(3);
}
