import path from 'node:path';
import type { Command } from 'commander';
import { InputError, SlipwayError, type DeploymentDto, type DeploymentPlanStep, type EventDto } from '../../shared/index.js';
import { ApiClient, type ClientOptions } from '../client.js';
import { followEvents } from '../follow-events.js';
import { printJson, println } from '../output.js';

interface DeployOptions extends ClientOptions {
  env: string;
  revision: string;
  source?: string;
  strategy?: string;
  set?: string[];
  wait?: boolean;
  json?: boolean;
}

const FINAL_EVENTS = new Set(['deployment.succeeded', 'deployment.rolled_back', 'deployment.failed', 'deployment.rejected', 'deployment.stopped']);

/** `slipway deploy <service> --env E --revision R [--source DIR] [--strategy S] [--set K=V] [--wait]`. */
export function deployCommand(program: Command): void {
  program
    .command('deploy <service>')
    .description('deploy a revision of a service to an environment (rolling, blue/green, canary, linear)')
    .requiredOption('--env <environment>', 'environment to deploy to')
    .requiredOption('--revision <revision>', 'revision id, e.g. a commit sha')
    .option('--source <dir>', "directory holding the app (default: the app's directory)")
    .option('--strategy <strategy>', 'a CodeDeploy name (CodeDeployDefault.ECSCanary10Percent5Minutes) or a strategy as JSON ({"type":"canary",...})')
    .option('--set <KEY=VALUE...>', "extra environment variables of the new revision's tasks")
    .option('--wait', 'follow the deployment until it ends; exit 1 unless it succeeds')
    .option('--json', 'print the deployment as JSON')
    .action(async (service: string, opts: DeployOptions, cmd: Command) => {
      const client = ApiClient.from({ ...cmd.optsWithGlobals<ClientOptions>(), ...opts });
      const body = {
        service,
        environment: opts.env,
        revision: opts.revision,
        ...(opts.source === undefined ? {} : { sourceDir: path.resolve(opts.source) }),
        ...(opts.strategy === undefined ? {} : { strategy: parseStrategy(opts.strategy) }),
        ...(opts.set === undefined ? {} : { env: parseVars(opts.set) }),
      };
      const d = await client.post<DeploymentDto>('/api/v1/deployments', body);
      if (!opts.wait) {
        if (opts.json) printJson(d);
        else println(`deployment ${d.id}: ${d.service} ${d.fromRevision ?? '(nothing)'} → ${d.toRevision} in ${d.environment}, ${d.strategy.kind} (${d.plan.length} steps)${approvalHint(d)}`);
        return;
      }
      if (!opts.json && d.state === 'AwaitingApproval') println(`deployment ${d.id}${approvalHint(d)}`);
      const final = await followDeployment(client, d.id, { tty: process.stdout.isTTY === true && !opts.json });
      if (opts.json) printJson(final);
      if (final.state !== 'Succeeded') throw new SlipwayError('SLW_ERR_DEPLOY_INVALID_STATE', `deployment ${final.id} ended ${final.state}${final.rollback ? `: ${final.rollback.reason}` : final.message ? `: ${final.message}` : ''}`);
    });
}

function approvalHint(d: DeploymentDto): string {
  return d.state === 'AwaitingApproval' ? `; ${d.environment} requires an approval: slipway deployments approve ${d.id}` : '';
}

function parseStrategy(s: string): unknown {
  if (!s.trim().startsWith('{')) return s;
  try {
    return JSON.parse(s) as unknown;
  } catch (err) {
    throw new InputError('SLW_ERR_DEPLOY_STRATEGY_INVALID', `--strategy: not valid JSON: ${(err as Error).message}`);
  }
}

function parseVars(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new InputError('SLW_ERR_API_VALIDATION', `--set: expected KEY=VALUE, got "${p}"`);
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}

/** A step as a few words: `traffic 25%`, `wait 30s + analysis`, `hook AfterInstall`. */
export function describeStep(s: DeploymentPlanStep | undefined): string {
  if (!s) return 'done';
  switch (s.type) {
    case 'hook':
      return `hook ${s.hook}`;
    case 'start':
      return `start ${s.desiredCount} task(s)`;
    case 'scale':
      return `scale ${s.revision} revision to ${s.desiredCount}`;
    case 'testTraffic':
      return s.enabled ? 'test traffic on' : 'test traffic off';
    case 'traffic':
      return `traffic ${s.newPercent}%`;
    case 'shadow':
      return `shadow ${s.percent}% for ${Math.round(s.durationMs / 100) / 10}s`;
    case 'wait':
      return `${s.purpose === 'interval' ? 'wait' : s.purpose === 'bake' ? 'bake' : 'keep old'} ${Math.round(s.durationMs / 100) / 10}s${s.analysis ? ' + analysis' : ''}`;
    case 'retireOld':
      return 'retire old revision';
  }
}

/** One deployment event as a plain line. */
export function formatDeploymentEvent(e: EventDto): string {
  const d = e.data as Record<string, unknown>;
  const shown = (d.to ?? d.weights) as Record<string, number> | undefined;
  const weights = shown && typeof shown === 'object' ? Object.entries(shown).map(([r, w]) => `${r} ${w}%`).join(', ') : '';
  const parts = [e.time.slice(11, 23), e.type.replace(/^deployment\./, '')];
  if (e.type === 'deployment.traffic.shifted') parts.push(weights);
  if (e.type === 'deployment.step.started') parts.push(describeStep(d.step as DeploymentPlanStep));
  if (e.type === 'deployment.hook.completed') parts.push(`${String(d.hook)} ${String(d.result)}`);
  if (e.type === 'deployment.analysis.completed') parts.push(String(d.verdict));
  if (e.type === 'deployment.shadow.completed') parts.push(`${String(d.verdict)}, ${String(d.differing)} of ${String(d.compared)} differing`);
  if (d.rollbackMs !== undefined && d.rollbackMs !== null) parts.push(`rollback ${String(d.rollbackMs)} ms`);
  if (d.reason) parts.push(`(${String(d.reason)})`);
  return parts.filter((p) => p !== '').join('  ');
}

function render(d: DeploymentDto, last: string): string[] {
  const step = d.plan[d.stepIndex];
  const weights = Object.entries(d.weights).map(([r, w]) => `${r} ${w}%`).join('  ');
  return [
    `deployment ${d.id}  ${d.service} in ${d.environment}: ${d.fromRevision ?? '(nothing)'} → ${d.toRevision}  [${d.strategy.kind}]`,
    `state      ${d.state}${d.pausedReason ? ` (${d.pausedReason})` : ''}${d.rollback ? ` — rolling back: ${d.rollback.reason}` : ''}`,
    `step       ${Math.min(d.stepIndex + 1, d.plan.length)}/${d.plan.length}  ${describeStep(step)}`,
    `weights    ${weights}`,
    `last       ${last}`,
  ];
}

/**
 * Follows a deployment's event stream until it ends. On a TTY a live view
 * (state, step, weights, last event) is redrawn in place; otherwise one plain
 * line per event. Returns the final deployment.
 */
export async function followDeployment(client: ApiClient, id: number, options: { tty: boolean }): Promise<DeploymentDto> {
  let drawn = 0;
  const draw = async (last: string) => {
    const d = await client.get<DeploymentDto>(`/api/v1/deployments/${id}`);
    const lines = render(d, last);
    if (drawn > 0) process.stdout.write(`\x1b[${drawn}A`);
    for (const l of lines) process.stdout.write(`\x1b[2K${l}\n`);
    drawn = lines.length;
  };
  if (options.tty) await draw('waiting for events');
  await followEvents(client, { subject: `deployment/${id}`, after: '0' }, async (e) => {
    if (options.tty) await draw(formatDeploymentEvent(e));
    else println(formatDeploymentEvent(e));
    return FINAL_EVENTS.has(e.type);
  });
  return client.get<DeploymentDto>(`/api/v1/deployments/${id}`);
}
