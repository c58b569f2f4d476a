import path from 'node:path';
import type { Command } from 'commander';
import { readAppDefinition, readDefinitionAt } from '../../core/index.js';
import type { DriftReportDto, IacStateDto, OverrideDto, PlanDto } from '../../shared/index.js';
import { ApiClient, type ClientOptions } from '../client.js';
import { printJson, println, table } from '../output.js';

interface PlanOptions {
  config?: string;
  ref?: string;
  json?: boolean;
}

/** Reads the app definition of the working tree (or of a ref) and asks the control plane to plan it. */
async function makePlan(client: ApiClient, opts: PlanOptions): Promise<PlanDto> {
  const { file, label, definition } = await readAppDefinition({ file: opts.config });
  if (opts.ref === undefined) return client.post<PlanDto>('/api/v1/iac/plans', { definition, source: label });
  const at = await readDefinitionAt({ repoDir: path.dirname(file), file, ref: opts.ref });
  return client.post<PlanDto>('/api/v1/iac/plans', { definition: at.definition, source: at.label, commit: at.commit });
}

function printPlan(plan: PlanDto): void {
  println(`plan ${plan.id} of ${plan.source} against the live system`);
  for (const line of plan.lines) println(line);
}

/** `slipway plan`, `slipway apply`, `slipway drift`: the app model as the desired state of the running system. */
export function iacCommands(program: Command): void {
  program
    .command('plan')
    .description('show what applying the app definition (the working tree, or a git ref) would change in the running system')
    .option('-c, --config <file>', 'the app definition (default: slipway.config.* in the current directory)')
    .option('--ref <ref>', 'plan the definition as it is at this commit, branch or tag')
    .option('--json', 'print the plan as JSON')
    .action(async (opts: PlanOptions, cmd: Command) => {
      const client = ApiClient.from(cmd.optsWithGlobals<ClientOptions>());
      const plan = await makePlan(client, opts);
      if (opts.json) printJson(plan);
      else {
        printPlan(plan);
        if (plan.changeSet.changes.length > 0) println(`Apply it with \`slipway apply --plan ${plan.id}\` (refused if the live system changes first).`);
      }
    });

  program
    .command('apply')
    .description('apply a plan (or plan the working tree and apply it): new services start, removed ones drain and stop, in-place changes take effect, nothing restarts')
    .option('--plan <id>', 'the plan to apply (default: plan the working tree now)')
    .option('-c, --config <file>', 'the app definition, when no --plan is given')
    .option('--ref <ref>', 'plan the definition at this ref, when no --plan is given')
    .option('--allow-destroy', 'confirm a plan that removes every environment or service, or renames a service')
    .option('--json', 'print the applied plan as JSON')
    .action(async (opts: PlanOptions & { plan?: string; allowDestroy?: boolean }, cmd: Command) => {
      const client = ApiClient.from(cmd.optsWithGlobals<ClientOptions>());
      const planId = opts.plan !== undefined ? Number(opts.plan) : (await makePlan(client, opts)).id;
      if (!Number.isInteger(planId) || planId < 1) throw new Error(`--plan: "${opts.plan}" is not a plan id`);
      const applied = await client.post<PlanDto>(`/api/v1/iac/plans/${planId}/apply`, { allowDestroy: opts.allowDestroy ?? false });
      if (opts.json) {
        printJson(applied);
        return;
      }
      printPlan(applied);
      for (const a of applied.applies) println(`${a.scope}: ${a.status}, ${a.applied.length} of ${a.changes.length} change(s) applied${a.error ? ` (${a.error})` : ''}`);
      if (applied.changeSet.changes.length === 0) println('Nothing to apply.');
    });

  program
    .command('state')
    .description('list the live resources: what each scope applied and, per service, which revisions run with what traffic, tasks and health')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const client = ApiClient.from(cmd.optsWithGlobals<ClientOptions>());
      const state = await client.get<IacStateDto>('/api/v1/iac/state');
      if (opts.json) {
        printJson(state);
        return;
      }
      for (const line of appliedLines(state.scopes)) println(line);
      println('');
      println(table(['RESOURCE', 'TYPE', 'RUNNING'], state.resources.map((r) => [r.id, r.type, runningText(r)])));
    });

  const drift = program
    .command('drift')
    .description('show what differs between the applied model and the running system (manual traffic shifts and scaling, task sets left behind, router rules, old secret versions)')
    .option('--detect', 'detect now instead of showing the last detection')
    .option('--json', 'print JSON')
    .action(async (opts: { detect?: boolean; json?: boolean }, cmd: Command) => {
      const client = ApiClient.from(cmd.optsWithGlobals<ClientOptions>());
      const report = await client.get<DriftReportDto>('/api/v1/iac/drift', { detect: opts.detect ? 'true' : undefined });
      if (opts.json) {
        printJson(report);
        return;
      }
      println(`detected ${report.detectedAt ?? 'not yet'}; self-heal in ${report.selfHeal.join(', ') || 'no environment'}`);
      if (report.drifts.length === 0) println('No drift: the running system matches the applied model.');
      else println(table(['KIND', 'RESOURCE', 'DRIFT', 'OVERRIDE'], report.drifts.map((d) => [d.kind, d.resourceId, d.message, d.overrideId === null ? '-' : `#${d.overrideId}`])));
      if (report.overrides.length > 0) {
        println('');
        println(table(['OVERRIDE', 'RESOURCE', 'REASON', 'BY', 'EXPIRES'], report.overrides.map((o) => [`#${o.id}`, o.resourceId, o.reason, o.by, o.expiresAt])));
      }
    });
  drift
    .command('override <environment>')
    .description('record a deliberate manual change: drift on it is reported but not healed until it expires')
    .option('--service <name>', 'the service (default: the whole environment)')
    .requiredOption('--reason <text>', 'why (shown in drift reports and the event log)')
    .option('--for <duration>', 'how long it holds, e.g. 30m', '1h')
    .action(async (environment: string, opts: { service?: string; reason: string; for: string }, cmd: Command) => {
      const client = ApiClient.from(cmd.optsWithGlobals<ClientOptions>());
      const o = await client.post<OverrideDto>('/api/v1/iac/overrides', { environment, ...(opts.service ? { resourceId: `service/${environment}/${opts.service}` } : {}), reason: opts.reason, for: opts.for });
      println(`override #${o.id} on ${o.resourceId} until ${o.expiresAt}`);
    });
  drift
    .command('clear <override>')
    .description('end an override before it expires')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const client = ApiClient.from(cmd.optsWithGlobals<ClientOptions>());
      const o = await client.request<OverrideDto>('DELETE', `/api/v1/iac/overrides/${encodeURIComponent(id.replace(/^#/, ''))}`);
      println(`override #${o.id} on ${o.resourceId} ended`);
    });
}

/** What runs of a live service resource: `v2 100% 2/2 healthy` per revision, `deploying` while a deployment moves it. */
export function runningText(r: IacStateDto['resources'][number]): string {
  if (r.observed === null) return '-';
  const revs = r.observed.revisions.filter((v) => v.weightPercent > 0 || v.desiredCount > 0);
  const text = revs.map((v) => `${v.revision} ${v.weightPercent}% ${v.healthyCount}/${v.desiredCount} healthy`).join(', ') || 'nothing runs';
  return r.observed.deploying ? `${text} (deploying)` : text;
}

/** The applied model of each scope, as `slipway status` prints it. */
export function appliedLines(state: IacStateDto['scopes']): string[] {
  return state.map((s) => `  ${s.scope.padEnd(20)} ${s.commit ? s.commit.slice(0, 12) : '(working tree)'}  applied ${s.appliedAt} by ${s.by}${s.planId !== null ? ` (plan ${s.planId})` : ''}`);
}
