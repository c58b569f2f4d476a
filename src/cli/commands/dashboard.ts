import type { Command } from 'commander';
import { ApiClient, type ClientOptions } from '../client.js';
import { println } from '../output.js';

/** `slipway dashboard`: print a new one-time login link to the dashboard. */
export function dashboardCommand(program: Command): void {
  program
    .command('dashboard')
    .description('print a one-time link that logs a browser in to the dashboard')
    .action(async (_opts: unknown, cmd: Command) => {
      const client = ApiClient.from(cmd.optsWithGlobals<ClientOptions>());
      const { url } = await client.post<{ url: string }>('/api/v1/session/links', {});
      println(url);
    });
}
