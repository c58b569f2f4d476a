import type { Command } from 'commander';
import type { RuntimeStatusDto, StatusDto } from '../../shared/index.js';
import { appliedLines } from './iac.js';
import { ApiClient, type ClientOptions } from '../client.js';
import { formatAge, printJson, println, table } from '../output.js';

function printRuntime(runtime: RuntimeStatusDto): void {
  println(`router   pid ${runtime.router.pid}, table v${runtime.router.version ?? '?'}`);
  for (const env of runtime.environments) {
    const ingress = runtime.router.listeners.find((l) => l.kind === 'ingress' && l.environment === env.name);
    println('');
    println(`${env.name}${ingress ? `  http://127.0.0.1:${ingress.port}/` : ''}`);
    const rows: string[][] = [];
    for (const svc of env.services) {
      const split = svc.revisions.map((r) => `${r.revision} ${r.weightPercent}%`).join(' / ') || '(nothing deployed)';
      for (const r of svc.revisions) {
        for (const t of r.tasks) rows.push([svc.name, r.revision, `${r.weightPercent}%`, t.id, String(t.pid ?? '-'), String(t.port), t.state, formatAge(t.uptimeMs), String(t.restarts)]);
        if (r.tasks.length === 0) rows.push([svc.name, r.revision, `${r.weightPercent}%`, '-', '-', '-', `0/${r.desiredCount} tasks`, '-', '-']);
      }
      if (svc.revisions.length === 0) rows.push([svc.name, '-', '-', '-', '-', '-', split, '-', '-']);
    }
    println(table(['SERVICE', 'REVISION', 'TRAFFIC', 'TASK', 'PID', 'PORT', 'HEALTH', 'UPTIME', 'RESTARTS'], rows));
    // A limit the engine could not apply is said where the user looks, not only in an event.
    for (const svc of env.services) {
      for (const r of svc.revisions) if (r.container?.limitsNotApplied) println(`warning: ${svc.name} ${r.revision}: ${r.container.limitsNotApplied}`);
    }
  }
}

/** `slipway status [--json]`: what is running and where. */
export function statusCommand(program: Command): void {
  program
    .command('status')
    .description('show what is running: the control plane and its ports, environments, revisions, traffic split and tasks')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const client = ApiClient.from(cmd.optsWithGlobals<ClientOptions>());
      const status = await client.get<StatusDto>('/api/v1/status');
      if (opts.json) {
        printJson(status);
        return;
      }
      const { server, events, app, runtime } = status;
      println(`slipway ${server.version}  pid ${server.pid}  up ${formatAge(Date.now() - Date.parse(server.startedAt))}`);
      println(`data     ${server.dataDir}`);
      println(`ports    ${Object.entries(server.ports).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      println(`events   ${events.lastSeq}`);
      if (app) println(`app      ${app.name} (${app.file})`);
      const { iac } = status;
      if (iac) {
        println('applied');
        for (const line of appliedLines(iac.scopes)) println(line);
      }
      if (runtime) printRuntime(runtime);
      else println('no app: the control plane runs alone (start `slipway up` where slipway.config.ts is)');
    });
}
