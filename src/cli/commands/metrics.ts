import type { Command } from 'commander';
import { InputError } from '../../shared/index.js';
import { ApiClient, type ClientOptions } from '../client.js';
import { printJson, println, table } from '../output.js';

interface MetricsOptions extends ClientOptions {
  dim: string[];
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

/** `slipway metrics <name> [--dim k=v]... [--stat p99] [--period 1m] [--since 1h] [--json]`. */
export function metricsCommand(program: Command): void {
  program
    .command('metrics <name>')
    .description('print a metric statistic per period, e.g. slipway metrics http.server.request.duration --dim service=gateway --stat p99')
    .option('--dim <key=value>', 'a dimension the series must have (repeatable)', collect, [])
    .option('--stat <stat>', 'SampleCount, Sum, Average, Minimum, Maximum or pNN', 'Average')
    .option('--period <duration>', 'period length (1s to 1h)', '1m')
    .option('--since <duration>', 'how far back to look', '1h')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: MetricsOptions, cmd: Command) => {
      const client = ApiClient.from(cmd.optsWithGlobals<ClientOptions>());
      const dims = Object.fromEntries(opts.dim.map((d) => [`dim.${d.slice(0, d.indexOf('='))}`, d.slice(d.indexOf('=') + 1)]));
      const answer = await client.get<MetricAnswer>('/api/v1/metrics/query', { name, stat: opts.stat, period: opts.period, since: opts.since, ...dims });
      if (opts.json) return printJson(answer);
      if (answer.timestamps.length === 0) return println(`no data for ${name} in the last ${opts.since}`);
      println(table(['time', opts.stat], answer.timestamps.map((t, i) => [new Date(t).toISOString(), formatNumber(answer.values[i] ?? NaN)])));
    });
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(3);
}
