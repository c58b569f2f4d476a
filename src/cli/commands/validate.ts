import type { Command } from 'commander';
import { loadAppConfig } from '../../core/index.js';
import { formatDuration, type ResolvedApp } from '../../shared/index.js';
import { printJson, println } from '../output.js';

/** `slipway validate [--config F] [--json]`: check the app definition; one line per problem, exit 1 when invalid. */
export function validateCommand(program: Command): void {
  program
    .command('validate')
    .description('check the app definition: one line per problem, with its file and path')
    .option('-c, --config <file>', 'the app definition (default: slipway.config.* in the current directory)')
    .option('--json', 'print the resolved app model as JSON')
    .action(async (opts: { config?: string; json?: boolean }) => {
      const { file, app } = await loadAppConfig({ file: opts.config });
      if (opts.json) {
        printJson(app);
        return;
      }
      println(`${file}: valid`);
      println(summarize(app));
    });
}

/** A few lines describing what an app defines. */
export function summarize(app: ResolvedApp): string {
  const services = Object.keys(app.services);
  const lines = [`  app           ${app.name}`, `  services      ${services.join(', ') || '(none)'}`];
  for (const env of Object.values(app.environments)) {
    const s = env.strategy;
    const detail = s.kind === 'Canary' || s.kind === 'Linear' ? ` ${s.steps.join('→')}% every ${formatDuration(s.intervalMs)}` : '';
    lines.push(`  environment   ${env.name} (ingress :${env.ingressPort}, ${s.codeDeployName ?? s.kind}${detail}${env.rollbackOn.length ? `, rolls back on ${env.rollbackOn.join(', ')}` : ''})`);
  }
  if (app.pipeline) lines.push(`  pipeline      ${app.pipeline.stages.map((st) => st.name).join(' → ')}`);
  const alarms = Object.keys(app.alarms);
  if (alarms.length) lines.push(`  alarms        ${alarms.join(', ')}`);
  const flags = Object.keys(app.flags);
  if (flags.length) lines.push(`  flags         ${flags.join(', ')}`);
  const experiments = Object.values(app.experiments ?? {}).map((e) => `${e.name} (${e.flag})`);
  if (experiments.length) lines.push(`  experiments   ${experiments.join(', ')}`);
  return lines.join('\n');
}
