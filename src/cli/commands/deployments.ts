import type { Command } from 'commander';
import { TERMINAL_DEPLOYMENT_STATES, type DeploymentDetailDto, type DeploymentDto, type DeploymentListDto, type ShadowRunDto } from '../../shared/index.js';
import { ApiClient, type ClientOptions } from '../client.js';
import { formatAge, printJson, println, table } from '../output.js';
import { describeStep } from './deploy.js';

interface ListOptions extends ClientOptions {
  service?: string;
  env?: string;
  state?: string;
  limit?: string;
  json?: boolean;
}

/** `slipway deployments list|show|approve|reject|promote|abort|pause|resume|rollback`. */
export function deploymentsCommand(program: Command): void {
  const group = program.command('deployments').description('list, inspect and control deployments');
  group
    .command('list')
    .description('deployments, newest first')
    .option('--service <service>', 'only this service')
    .option('--env <environment>', 'only this environment')
    .option('--state <state>', 'only this state, e.g. InProgress')
    .option('--limit <n>', 'at most this many', '20')
    .option('--json', 'print JSON')
    .action(async (opts: ListOptions, cmd: Command) => {
      const client = ApiClient.from(cmd.optsWithGlobals<ClientOptions>());
      const { deployments } = await client.get<DeploymentListDto>('/api/v1/deployments', { service: opts.service, environment: opts.env, state: opts.state, limit: opts.limit });
      if (opts.json) return printJson(deployments);
      const now = Date.now();
      println(
        table(
          ['ID', 'SERVICE', 'ENV', 'FROM', 'TO', 'STRATEGY', 'STATE', 'STEP', 'AGE'],
          deployments.map((d) => [String(d.id), d.service, d.environment, d.fromRevision ?? '-', d.toRevision, d.kind === 'Rollback' ? 'Rollback' : d.strategy.kind, d.state, `${Math.min(d.stepIndex, d.plan.length)}/${d.plan.length}`, formatAge(now - d.createdAtMs)]),
        ),
      );
    });
  group
    .command('show <id>')
    .description('one deployment: steps, weights, analysis runs, shadow comparisons, hooks, timings')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const client = ApiClient.from(cmd.optsWithGlobals<ClientOptions>());
      const d = await client.get<DeploymentDetailDto>(`/api/v1/deployments/${encodeURIComponent(id)}`);
      if (opts.json) return printJson(d);
      printDeployment(d);
    });
  for (const verb of ['approve', 'reject'] as const) {
    group
      .command(`${verb} <id>`)
      .description(verb === 'approve' ? 'approve a deployment waiting for its approval: it starts' : 'reject a deployment waiting for its approval: it ends, no traffic moves')
      .option('--comment <text>', 'why')
      .option('--by <name>', 'who decides', process.env.USER ?? 'cli')
      .option('--json', 'print JSON')
      .action(async (id: string, opts: { comment?: string; by?: string; json?: boolean }, cmd: Command) => {
        const client = ApiClient.from(cmd.optsWithGlobals<ClientOptions>());
        const d = await client.post<DeploymentDto>(`/api/v1/deployments/${encodeURIComponent(id)}/${verb}`, { ...(opts.comment ? { comment: opts.comment } : {}), ...(opts.by ? { by: opts.by } : {}) });
        if (opts.json) return printJson(d);
        println(`deployment ${d.id}: ${verb === 'approve' ? 'approved' : 'rejected'} by ${d.approval?.by ?? '?'} (${d.state})`);
      });
  }
  for (const [verb, description] of [
    ['promote', 'skip the remaining steps: all traffic to the new revision now'],
    ['abort', 'roll an active deployment back (it ends Stopped)'],
    ['pause', 'hold an active deployment where it is'],
    ['resume', 'continue a paused deployment'],
    ['rollback', 'redeploy the revision a finished deployment replaced'],
  ] as const) {
    group
      .command(`${verb} <id>`)
      .description(description)
      .option('--json', 'print JSON')
      .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
        const client = ApiClient.from(cmd.optsWithGlobals<ClientOptions>());
        const d = await client.post<DeploymentDto>(`/api/v1/deployments/${encodeURIComponent(id)}/${verb}`, {});
        if (opts.json) return printJson(d);
        println(verb === 'rollback' ? `deployment ${d.id}: rolling ${d.service} in ${d.environment} back to ${d.toRevision}` : `deployment ${d.id}: ${d.state}${d.rollback ? ` (rolling back: ${d.rollback.reason})` : ''}`);
      });
  }
}

function printDeployment(d: DeploymentDetailDto): void {
  const t = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());
  println(`deployment ${d.id} (${d.kind})  ${d.service} in ${d.environment}: ${d.fromRevision ?? '(nothing)'} → ${d.toRevision}`);
  println(`strategy   ${d.strategy.kind}${d.strategy.codeDeployName ? ` (${d.strategy.codeDeployName})` : ''}`);
  println(`state      ${d.state}${d.pausedReason ? ` (${d.pausedReason})` : ''}${d.message ? `  last error: ${d.message}` : ''}`);
  if (d.approval) println(`approval   ${d.approval.status}${d.approval.by ? ` by ${d.approval.by}` : ''}${d.approval.comment ? `: ${d.approval.comment}` : ''}${d.approval.status === 'Pending' ? `  (slipway deployments approve ${d.id})` : ''}`);
  println(`weights    ${Object.entries(d.weights).map(([r, w]) => `${r} ${w}%`).join('  ')}`);
  println(`created    ${t(d.createdAtMs)}   finished ${t(d.finishedAtMs)}${d.finishedAtMs ? `   took ${d.finishedAtMs - d.createdAtMs} ms` : ''}`);
  if (d.rollback) println(`rollback   ${d.rollback.trigger}: ${d.rollback.reason}${d.rollback.rollbackMs === null ? '' : `  (traffic restored in ${d.rollback.rollbackMs} ms)`}`);
  println('');
  println(
    table(
      ['#', 'STEP', 'STARTED', 'TOOK'],
      d.plan.map((s, i) => {
        const h = d.stepHistory.find((x) => x.index === i);
        const mark = i === d.stepIndex && !TERMINAL_DEPLOYMENT_STATES.includes(d.state) ? '▶' : ' ';
        return [`${mark}${i + 1}`, describeStep(s), h ? new Date(h.startedAtMs).toISOString().slice(11, 23) : '-', h?.completedAtMs ? `${h.completedAtMs - h.startedAtMs} ms` : '-'];
      }),
    ),
  );
  if (d.analysisRuns.length > 0) {
    println('');
    println(table(['ANALYSIS', 'STEP', 'REQUESTS', 'REASONS'], d.analysisRuns.map((r) => [r.verdict, String(r.stepIndex + 1), String(r.measurements?.canary.requestCount ?? '-'), r.reasons.join('; ')])));
  }
  for (const run of d.shadowRuns) printShadowRun(run);
  if (d.hooks.length > 0) {
    println('');
    println(table(['HOOK', 'RESULT', 'TOOK', 'MESSAGE'], d.hooks.map((h) => [h.hook, h.result, `${h.durationMs} ms`, h.message])));
  }
  for (const l of d.logs) println(`[${l.source}] ${l.text.trimEnd()}`);
}

/** A shadow step's verdict, totals, latency and the differing requests it kept. */
function printShadowRun(run: ShadowRunDto): void {
  const r = run.report;
  println('');
  println(`shadow     step ${run.stepIndex + 1}: ${run.verdict} — ${run.reasons.join('; ')}`);
  if (r === null) return;
  const skipped = Object.entries(r.skipped).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ');
  println(`           ${r.mirrored} mirrored, ${r.compared} compared, ${r.differing} differing (${run.differingPercent ?? 0}%), ${r.shadowErrors} shadow errors${skipped === '' ? '' : `; skipped: ${skipped}`}`);
  const ms = (v: number | null) => (v === null ? '-' : `${v} ms`);
  println(`           p50 ${ms(r.latency.primaryP50Ms)} → ${ms(r.latency.shadowP50Ms)}, p99 ${ms(r.latency.primaryP99Ms)} → ${ms(r.latency.shadowP99Ms)}${r.latency.p99Ratio === null ? '' : ` (×${r.latency.p99Ratio})`}`);
  const fields = Object.entries(r.fields);
  if (fields.length > 0) println(`           differing fields: ${fields.map(([f, n]) => `${f} ×${n}`).join(', ')}`);
  if (r.samples.length > 0) {
    println(table(['METHOD', 'PATH', 'STATUS', 'FIELDS', 'MS'], r.samples.map((x) => [x.method, x.path, `${x.primaryStatus}→${x.shadowStatus ?? x.error ?? '?'}`, x.fields.join(', '), `${x.primaryMs}→${x.shadowMs ?? '-'}`])));
  }
}
