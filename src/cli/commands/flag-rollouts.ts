import type { Command } from 'commander';
import { CODEDEPLOY_CONFIG_NAMES, InputError, formatDuration, type FlagRolloutDto, type FlagRolloutListDto } from '../../shared/index.js';
import type { ApiClient } from '../client.js';
import { printJson, println, table } from '../output.js';
import { defaultActor, definitionFromOptions, flagPath } from './flag-input.js';

interface RolloutOptions {
  file?: string;
  value?: string;
  steps?: string;
  interval?: string;
  strategy?: string;
  by?: string;
  json?: boolean;
}

/**
 * The strategy the options name: `--steps 5,25,50,100 --interval 30s` is a canary, `--strategy`
 * a CodeDeploy name or a strategy as JSON; none is the environment's (the server decides).
 * @throws {InputError} `SLW_ERR_CLI_USAGE` for `--steps` that are not numbers or `--strategy` with `--steps`
 */
export function strategyFromOptions(opts: Pick<RolloutOptions, 'steps' | 'interval' | 'strategy'>): unknown {
  if (opts.strategy !== undefined) {
    if (opts.steps !== undefined || opts.interval !== undefined) throw new InputError('SLW_ERR_CLI_USAGE', 'give --strategy, or --steps with --interval, not both');
    if ((CODEDEPLOY_CONFIG_NAMES as readonly string[]).includes(opts.strategy) || opts.strategy === 'all-at-once') return opts.strategy === 'all-at-once' ? 'CodeDeployDefault.AllAtOnce' : opts.strategy;
    try {
      return JSON.parse(opts.strategy);
    } catch {
      throw new InputError('SLW_ERR_CLI_USAGE', `--strategy ${opts.strategy}: expected all-at-once, a CodeDeploy name (${CODEDEPLOY_CONFIG_NAMES.join(', ')}) or a strategy as JSON`);
    }
  }
  if (opts.steps === undefined) {
    if (opts.interval !== undefined) throw new InputError('SLW_ERR_CLI_USAGE', '--interval needs --steps (e.g. --steps 5,25,50,100 --interval 30s)');
    return undefined;
  }
  const steps = opts.steps.split(',').map((s) => s.trim());
  if (steps.some((s) => !/^\d+(\.\d+)?$/.test(s))) throw new InputError('SLW_ERR_CLI_USAGE', `--steps ${opts.steps}: expected percentages separated by commas, e.g. 5,25,50,100`);
  // The server checks the steps (increasing, at most 100, ending at 100) with the app model's canary schema.
  return { type: 'canary', steps: steps.map(Number), interval: opts.interval ?? '30s' };
}

/** One line of a flag rollout: its state and share, its plan, and how it ended. */
export function rolloutSummary(r: FlagRolloutDto): string {
  const plan = r.plan.map((s) => (s.bakeMs > 0 ? `${s.percent}% (${formatDuration(s.bakeMs)})` : `${s.percent}%`)).join(' → ');
  const end = r.rollback === null ? '' : `, reverted by ${r.rollback.trigger}${r.rollback.alarms.length > 0 ? ` ${r.rollback.alarms.join(', ')}` : ''} in ${r.rollback.revertMs} ms`;
  return `flag rollout ${r.id} of ${r.environment}/${r.key}: ${r.state} at ${r.percent}% (step ${r.stepIndex + 1} of ${r.plan.length}: ${plan})${r.toVersion === null ? '' : `, version ${r.toVersion}`}${end}`;
}

/** `slipway flags rollout <env> <key>` and `slipway flags rollouts list|show|pause|resume|promote|abort`. */
export function flagRolloutCommands(flags: Command, client: (cmd: Command) => ApiClient): void {
  flags
    .command('rollout <env> <key>')
    .description('roll a new definition out through the deployment engine: in steps with bake times, reverted by the environment\'s rollbackOn alarms')
    .option('--file <def.json>', 'the new definition, as in the app model (JSON)')
    .option('--value <v>', 'the new value for everyone (no rules); JSON (true, 3, "on") or plain text')
    .option('--steps <percentages>', 'shares of contexts served the new definition, increasing and ending at 100, e.g. 5,25,50,100')
    .option('--interval <duration>', 'bake time at each step but the last, e.g. 30s (with --steps)', undefined)
    .option('--strategy <s>', 'all-at-once, a CodeDeploy name or a strategy as JSON (instead of --steps); default: the environment\'s')
    .option('--by <who>', 'who makes the change (recorded on the rollout, its events and the version)')
    .option('--json', 'print JSON')
    .action(async (env: string, key: string, opts: RolloutOptions, cmd: Command) => {
      const strategy = strategyFromOptions(opts);
      const c = client(cmd);
      const definition = await definitionFromOptions(c, 'rollout', env, key, opts);
      const r = await c.request<FlagRolloutDto>('POST', flagPath(env, key, '/rollouts'), { definition, ...(strategy === undefined ? {} : { strategy }), by: opts.by ?? defaultActor() });
      if (opts.json) return printJson(r);
      println(rolloutSummary(r));
    });

  const rollouts = flags.command('rollouts').description('flag rollouts: list, show, pause, resume, promote, abort');
  rollouts
    .command('list', { isDefault: true })
    .description('flag rollouts, newest first')
    .option('--env <environment>', 'only this environment')
    .option('--key <flag>', 'only this flag')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print JSON')
    .action(async (opts: { env?: string; key?: string; limit: string; json?: boolean }, cmd: Command) => {
      const list = await client(cmd).get<FlagRolloutListDto>('/api/v1/flag-rollouts', { ...(opts.env ? { environment: opts.env } : {}), ...(opts.key ? { key: opts.key } : {}), limit: opts.limit });
      if (opts.json) return printJson(list);
      if (list.rollouts.length === 0) return println('no flag rollouts');
      println(table(['id', 'environment', 'flag', 'state', 'percent', 'step', 'strategy', 'by', 'created'], list.rollouts.map((r) => [String(r.id), r.environment, r.key, r.state, `${r.percent}%`, `${r.stepIndex + 1}/${r.plan.length}`, r.strategy, r.actor, r.createdAt])));
    });

  rollouts
    .command('show <id>')
    .description('one flag rollout: its plan, state and how it ended')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const r = await client(cmd).get<FlagRolloutDto>(`/api/v1/flag-rollouts/${encodeURIComponent(id)}`);
      if (opts.json) return printJson(r);
      println(rolloutSummary(r));
      if (r.watchedAlarms.length > 0) println(`  reverted by: ${r.watchedAlarms.join(', ')}`);
    });

  for (const [verb, description] of [
    ['pause', 'hold the rollout at its share (an alarm still reverts it)'],
    ['resume', 'go on from the current step (its bake time starts again)'],
    ['promote', 'skip the remaining steps: serve the new definition to everyone'],
    ['abort', 'serve the previous definition to everyone again'],
  ] as const) {
    rollouts
      .command(`${verb} <id>`)
      .description(description)
      .option('--by <who>', 'who asks (recorded in the event)')
      .option('--json', 'print JSON')
      .action(async (id: string, opts: { by?: string; json?: boolean }, cmd: Command) => {
        const r = await client(cmd).post<FlagRolloutDto>(`/api/v1/flag-rollouts/${encodeURIComponent(id)}/${verb}`, { by: opts.by ?? defaultActor() });
        if (opts.json) return printJson(r);
        println(rolloutSummary(r));
      });
  }
}
