import type { Command } from 'commander';
import { createLogger } from '../../core/index.js';
import { startControlPlane } from '../../server/index.js';
import { println } from '../output.js';

interface UpOptions {
  config?: string;
  data?: string;
  port: string;
  host: string;
}

/** `slipway up`: start the control plane (and, as they land, router, tasks, pipelines) in the foreground. */
export function upCommand(program: Command): void {
  program
    .command('up')
    .description('start slipway in the foreground; Ctrl-C stops it')
    .option('-c, --config <file>', 'the app definition (default: slipway.config.* in the current directory)')
    .option('--port <port>', 'API and dashboard port (0 picks a free one)', '4400')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .action(async (opts: UpOptions, cmd: Command) => {
      const globals = cmd.optsWithGlobals<{ data?: string; debug?: boolean }>();
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: expected a port number from 0 to 65535, got "${opts.port}"`);
      const cp = await startControlPlane({
        dataDir: globals.data,
        host: opts.host,
        port,
        logger: createLogger({ level: globals.debug ? 'debug' : 'warn' }),
      });
      println(`slipway is up`);
      println(`  API        ${cp.url}/api/v1   (token in ${cp.dataDir.tokenFile})`);
      println(`  events     slipway events --follow`);
      println(`Press Ctrl-C to stop.`);
      await new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
          println(`\n${signal}: stopping`);
          cp.close().then(resolve, resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      println('stopped');
    });
}
