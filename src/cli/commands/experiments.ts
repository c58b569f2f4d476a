import type { Command } from 'commander';
import type { ExperimentDetailDto, ExperimentDto, ExperimentListDto, VariantResult } from '../../shared/index.js';
import { ApiClient, type ClientOptions } from '../client.js';
import { printJson, println, table } from '../output.js';
import { defaultActor } from './flag-input.js';

interface JsonOption {
  json?: boolean;
}

const path = (env: string, name: string, suffix = ''): string => `/api/v1/experiments/${encodeURIComponent(env)}/${encodeURIComponent(name)}${suffix}`;

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
const num = (x: number): string => x.toPrecision(4);

function variantRow(v: VariantResult, conversion: boolean): string[] {
  const f = conversion ? pct : num;
  const c = v.comparison;
  return [
    `${v.variant}${v.control ? ' (control)' : ''}`,
    String(v.exposures),
    conversion ? String(v.conversions ?? 0) : '',
    v.value === null ? '-' : f(v.value),
    c === undefined ? '' : `${c.difference >= 0 ? '+' : ''}${f(c.difference)} [${f(c.ci[0])}, ${f(c.ci[1])}]`,
    c === undefined ? '' : c.pValue.toPrecision(3),
    v.verdict,
  ];
}

/** Prints an experiment's result now: its verdict, a row per variant, its guardrails. */
export function printExperiment(e: ExperimentDetailDto): void {
  const r = e.result;
  const conversion = r.variants.some((v) => v.conversions !== undefined);
  println(`${e.environment}/${e.name} on flag ${e.flag}: ${e.state}${e.reason === undefined ? '' : ` (${e.reason})`}`);
  println(`verdict: ${r.verdict}: ${r.summary}`);
  println(table(['variant', conversion ? 'exposures' : 'samples', conversion ? 'conversions' : '', conversion ? 'rate' : 'mean', `difference [${(1 - e.significance) * 100}% CI]`, 'p', 'verdict'], r.variants.map((v) => variantRow(v, conversion))));
  for (const g of r.guardrails) {
    const unit = g.kind === 'errorRate' ? '%' : ' ms';
    const values = g.variants.map((v) => `${v.variant} ${v.value === null ? '-' : `${v.value.toFixed(2)}${unit}`} (${v.samples})${v.breached ? ' BREACHED' : ''}`).join(', ');
    println(`guardrail ${g.name} (${g.kind} ≤ ${g.threshold}${unit}): ${values}`);
  }
  if (r.unattributed > 0) println(`${r.unattributed} spans could not be attributed to a variant`);
  if (r.truncated) println('the window had more spans than were read: results are of the oldest');
}

/** `slipway experiments list|show|stop`: A/B experiments, their results per variant, and stopping them. */
export function experimentsCommand(program: Command): void {
  const experiments = program.command('experiments').description('A/B experiments on flags: results per variant, verdicts, guardrails');
  const client = (cmd: Command) => ApiClient.from(cmd.optsWithGlobals<ClientOptions>());

  experiments
    .command('list', { isDefault: true })
    .description('every experiment in every environment with its state and last verdict')
    .option('--json', 'print JSON')
    .action(async (opts: JsonOption, cmd: Command) => {
      const list = await client(cmd).get<ExperimentListDto>('/api/v1/experiments');
      if (opts.json) return printJson(list);
      if (list.experiments.length === 0) return println('no experiments defined');
      println(table(['environment', 'experiment', 'flag', 'state', 'verdict', 'winner', 'started'], list.experiments.map((e) => [e.environment, e.name, e.flag, e.state, e.verdict, e.winner ?? '', e.startedAt])));
    });

  experiments
    .command('show <env> <name>')
    .description("an experiment's result now: per variant exposures, conversions, rate, difference with its interval, p-value; guardrails")
    .option('--json', 'print JSON')
    .action(async (env: string, name: string, opts: JsonOption, cmd: Command) => {
      const e = await client(cmd).get<ExperimentDetailDto>(path(env, name));
      if (opts.json) return printJson(e);
      printExperiment(e);
    });

  experiments
    .command('stop <env> <name>')
    .description('stop an experiment: its flag serves the control variant to everyone')
    .option('--reason <why>', 'recorded in the experiment.stopped event')
    .option('--by <who>', 'who stops it')
    .option('--json', 'print JSON')
    .action(async (env: string, name: string, opts: JsonOption & { by?: string; reason?: string }, cmd: Command) => {
      const e = await client(cmd).post<ExperimentDto>(path(env, name, '/stop'), { by: opts.by ?? defaultActor(), ...(opts.reason === undefined ? {} : { reason: opts.reason }) });
      if (opts.json) return printJson(e);
      println(`${e.environment}/${e.name}: ${e.state} (${e.reason ?? ''}); flag ${e.flag} serves the control ${e.variants[0] ?? ''}`);
    });
}
