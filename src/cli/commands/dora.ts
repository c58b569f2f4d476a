import type { Command } from 'commander';
import { formatDuration, type DoraReportDto, type DoraResponseDto } from '../../shared/index.js';
import { ApiClient, type ClientOptions } from '../client.js';
import { printJson, println, table } from '../output.js';

interface DoraOptions {
  window?: string;
  service?: string;
  json?: boolean;
}

/** `slipway dora [--window 30d] [--service S] [--json]`: the four keys of DORA (docs/dora.md). */
export function doraCommand(program: Command): void {
  program
    .command('dora')
    .description('DORA metrics: deployment frequency, lead time, change failure rate, time to restore (7, 30 and 90 days unless --window)')
    .option('--window <duration>', 'one window, e.g. 30d')
    .option('--service <service>', 'only this service')
    .option('--json', 'print JSON')
    .action(async (opts: DoraOptions, cmd: Command) => {
      const client = ApiClient.from(cmd.optsWithGlobals<ClientOptions>());
      const answer = await client.get<DoraResponseDto>('/api/v1/dora', { window: opts.window, service: opts.service });
      if (opts.json) return printJson(answer);
      println(`DORA for ${opts.service ?? 'every service'} in ${answer.environment}`);
      println(
        table(
          ['window', 'deploys/day', 'lead time (median)', 'change failure rate', 'time to restore (median)'],
          answer.windows.map((w) => [w.window, ...figures(w.overall)]),
        ),
      );
      for (const warning of answer.warnings) println(`warning: ${warning}`);
    });
}

function figures(r: DoraReportDto): string[] {
  const band = (b: string | undefined) => (b === undefined ? '' : ` (${b})`);
  const duration = (ms: number | null) => (ms === null ? '-' : formatDuration(Math.round(ms / 60_000) * 60_000 || ms));
  return [
    r.deploymentFrequency.perDay === null ? '-' : `${r.deploymentFrequency.perDay.toFixed(2)}${band(r.deploymentFrequency.band)}`,
    `${duration(r.leadTime.medianMs)}${band(r.leadTime.band)}`,
    r.changeFailureRate.ratio === null ? '-' : `${(r.changeFailureRate.ratio * 100).toFixed(1)}% (${r.changeFailureRate.failedDeploymentIds.length}/${r.changeFailureRate.deploymentIds.length})${band(r.changeFailureRate.band)}`,
    `${duration(r.timeToRestore.medianMs)}${band(r.timeToRestore.band)}`,
  ];
}
