import type { Command } from 'commander';
import { ApiClient, type ClientOptions } from '../client.js';
import { formatAge, printJson, println, table } from '../output.js';

interface ServerStatus {
  version: string;
  pid: number;
  startedAt: string;
  dataDir: string;
  ports: Record<string, number>;
}

interface RuntimeStatus {
  environments: {
    name: string;
    services: {
      name: string;
      url: string;
      revisions: { revision: string; weightPercent: number; desiredCount: number; tasks: { id: string; pid: number | null; port: number; state: string; uptimeMs: number; restarts: number }[] }[];
    }[];
  }[];
  router: { pid: number; version: number | null; listeners: { id: string; kind: string; environment: string; port: number }[] };
}

function printRuntime(runtime: RuntimeStatus): void {
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
      const status = await client.get<Record<string, unknown>>('/api/v1/status');
      if (opts.json) {
        printJson(status);
        return;
      }
      const server = status.server as ServerStatus | undefined;
      if (server) {
        println(`slipway ${server.version}  pid ${server.pid}  up ${formatAge(Date.now() - Date.parse(server.startedAt))}`);
        println(`data     ${server.dataDir}`);
        println(`ports    ${Object.entries(server.ports).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      }
      const events = status.events as { lastSeq: number } | undefined;
      if (events) println(`events   ${events.lastSeq}`);
      const app = status.app as { name: string; file: string } | undefined;
      if (app) println(`app      ${app.name} (${app.file})`);
      const runtime = status.runtime as RuntimeStatus | undefined;
      if (runtime) printRuntime(runtime);
      else println('no app: the control plane runs alone (start `slipway up` where slipway.config.ts is)');
    });
}
