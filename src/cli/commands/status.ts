import type { Command } from 'commander';
import { ApiClient, type ClientOptions } from '../client.js';
import { formatAge, printJson, println } from '../output.js';

interface ServerStatus {
  version: string;
  pid: number;
  startedAt: string;
  dataDir: string;
  ports: Record<string, number>;
}

/** `slipway status [--json]`: what is running and where. */
export function statusCommand(program: Command): void {
  program
    .command('status')
    .description('show what is running: the control plane, its ports, and (as they land) environments, services and tasks')
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
      for (const [key, value] of Object.entries(status)) {
        if (key === 'server' || key === 'events') continue;
        println(`${key.padEnd(8)} ${JSON.stringify(value)}`);
      }
    });
}
