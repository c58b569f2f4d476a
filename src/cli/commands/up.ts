import path from 'node:path';
import type { Command } from 'commander';
import { createLogger } from '../../core/index.js';
import { startControlPlane, type ControlPlane } from '../../server/index.js';
import { println } from '../output.js';

interface UpOptions {
  config?: string;
  port: string;
  otlpPort: string;
  xrayPort: string;
  host: string;
  bootstrap: boolean;
  allowedHost: string[];
}

/** `slipway up`: start the control plane, the router and the app's tasks in the foreground. */
export function upCommand(program: Command): void {
  program
    .command('up')
    .description('start slipway in the foreground: control plane, router and the app\'s services; Ctrl-C stops it all')
    .option('-c, --config <file>', 'the app definition (default: slipway.config.* in the current directory)')
    .option('--port <port>', 'API and dashboard port (0 picks a free one)', '4400')
    .option('--otlp-port <port>', 'OTLP/HTTP receiver port (0 picks a free one)', '4318')
    .option('--xray-port <port>', 'X-Ray daemon UDP port (0 picks a free one)', '2000')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--no-bootstrap', 'do not run the working copy where nothing runs yet')
    .option('--allowed-host <host>', 'another Host name the API and dashboard answer to (a tunnel or proxy in front); repeatable', (value: string, all: string[]) => [...all, value], [] as string[])
    .action(async (opts: UpOptions, cmd: Command) => {
      const globals = cmd.optsWithGlobals<{ data?: string; debug?: boolean }>();
      const port = portOption('--port', opts.port);
      const cp = await startControlPlane({
        dataDir: globals.data,
        host: opts.host,
        port,
        otlpPort: portOption('--otlp-port', opts.otlpPort),
        xrayPort: portOption('--xray-port', opts.xrayPort),
        configFile: opts.config,
        bootstrap: opts.bootstrap,
        allowedHosts: opts.allowedHost,
        logger: createLogger({ level: globals.debug ? 'debug' : 'warn' }),
      });
      await printBanner(cp);
      await new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
          println(`\n${signal}: stopping tasks and router`);
          cp.close({ stopTasks: true }).then(resolve, resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      println('stopped');
    });
}

function portOption(flag: string, value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${flag}: expected a port number from 0 to 65535, got "${value}"`);
  return port;
}

/** Says truly where the API token is: the banner must not point at a file that was never written. */
export function tokenWhere(cp: Pick<ControlPlane, 'tokenSource' | 'dataDir'>): string {
  if (cp.tokenSource === 'env') return 'token from SLIPWAY_TOKEN';
  if (cp.tokenSource === 'option') return 'token given at start-up';
  return `token in ${cp.dataDir.tokenFile}`;
}

async function printBanner(cp: ControlPlane): Promise<void> {
  println('slipway is up');
  if (cp.appModel && cp.runtime) {
    const status = await cp.runtime.status();
    println(`  app        ${cp.appModel.name}   (${path.relative(process.cwd(), cp.appFile ?? '')})`);
    for (const l of status.router.listeners.filter((x) => x.kind === 'ingress')) {
      println(`  ${l.environment.padEnd(10)} http://127.0.0.1:${l.port}/`);
    }
  } else {
    println('  (no slipway.config.* here: running the control plane only)');
  }
  println(`  dashboard  ${cp.loginUrl()}   (one-time login link; \`slipway dashboard\` makes another)`);
  println(`  API        ${cp.url}/api/v1   (${tokenWhere(cp)})`);
  const ports = cp.ports;
  if (ports.otlp !== undefined) println(`  telemetry  OTLP http://127.0.0.1:${ports.otlp}   X-Ray udp 127.0.0.1:${ports.xray ?? '-'}`);
  if (ports.otlp !== undefined || ports.xray !== undefined) println(`             ingest key in ${cp.dataDir.ingestKeyFile} (header x-slipway-ingest-key; tasks get their own)`);
  println(`  flags      OFREP ${cp.ofrep?.url ?? cp.url}/ofrep/v1   (tasks get it as SLIPWAY_FLAGS_URL and their own SLIPWAY_FLAGS_TOKEN; \`slipway flags list\`)`);
  println(`  status     slipway status`);
  println(`  events     slipway events --follow`);
  println('Press Ctrl-C to stop.');
}
