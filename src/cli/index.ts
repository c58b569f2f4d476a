import { Command, CommanderError } from 'commander';
import { SlipwayError } from '../shared/index.js';
import { packageVersion } from '../server/index.js';
import { alarmsCommand } from './commands/alarms.js';
import { dashboardCommand } from './commands/dashboard.js';
import { demoCommand } from './commands/demo.js';
import { doraCommand } from './commands/dora.js';
import { artifactsCommand } from './commands/artifacts.js';
import { deployCommand } from './commands/deploy.js';
import { deploymentsCommand } from './commands/deployments.js';
import { eventsCommand } from './commands/events.js';
import { experimentsCommand } from './commands/experiments.js';
import { flagsCommand } from './commands/flags.js';
import { iacCommands } from './commands/iac.js';
import { imagesCommand } from './commands/images.js';
import { incidentsCommand } from './commands/incidents.js';
import { oncallCommand } from './commands/oncall.js';
import { initCommand } from './commands/init.js';
import { logsCommand } from './commands/logs.js';
import { metricsCommand } from './commands/metrics.js';
import { pipelineCommand } from './commands/pipeline.js';
import { secretsCommand } from './commands/secrets.js';
import { servicemapCommand, tracesCommand } from './commands/traces.js';
import { statusCommand } from './commands/status.js';
import { synthCommand } from './commands/synth.js';
import { upCommand } from './commands/up.js';
import { validateCommand } from './commands/validate.js';

/** Builds the `slipway` program; one file per verb group under commands/. */
export function buildProgram(): Command {
  const program = new Command('slipway')
    .description('one app definition from commit to production')
    .version(packageVersion())
    .option('--data <dir>', 'data directory', '.slipway')
    .option('--url <url>', 'API address for client verbs (or SLIPWAY_URL)')
    .option('--debug', 'print stack traces of errors')
    .showHelpAfterError()
    .exitOverride();
  initCommand(program);
  validateCommand(program);
  iacCommands(program);
  upCommand(program);
  statusCommand(program);
  eventsCommand(program);
  deployCommand(program);
  deploymentsCommand(program);
  pipelineCommand(program);
  artifactsCommand(program);
  dashboardCommand(program);
  demoCommand(program);
  logsCommand(program);
  metricsCommand(program);
  tracesCommand(program);
  servicemapCommand(program);
  synthCommand(program);
  incidentsCommand(program);
  oncallCommand(program);
  doraCommand(program);
  alarmsCommand(program);
  flagsCommand(program);
  experimentsCommand(program);
  secretsCommand(program);
  imagesCommand(program);
  return program;
}

/** Entry of the `slipway` command; returns the exit code. Errors become one line each, never a stack trace unless `--debug`. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 1;
    if (argv.includes('--debug')) process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.stderr.write(`${describe(err)}\n`);
    return 1;
  }
}

function describe(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // Config problems already name their file and path, one line each.
  if (err instanceof SlipwayError && err.code.startsWith('SLW_ERR_CONFIG')) return message;
  return `slipway: ${message}`;
}
