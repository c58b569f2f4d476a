import { parseArgs } from 'node:util';
import { createLogger, readOrCreateSecret, type LogLevel } from '../core/index.js';
import { InputError } from '../shared/index.js';
import { startAdminServer } from './admin/admin-server.js';
import { createRouter } from './router.js';

/** Command-line options of the router process. */
export interface RouterProcessArgs {
  /** Where the table and `router.json` are kept. */
  readonly stateDir: string;
  /** Admin API port on 127.0.0.1; 0 picks one (see `router.json`). */
  readonly adminPort: number;
  /** File holding the admin bearer token; created (mode 0600) when missing. */
  readonly tokenFile: string;
  readonly upstreamTimeoutMs: number | undefined;
  readonly logLevel: LogLevel;
}

/** Parses `--state-dir <dir> --admin-port <n> --token-file <f> [--upstream-timeout-ms <n>] [--log-level <l>]`. */
export function parseRouterArgs(argv: readonly string[]): RouterProcessArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      'state-dir': { type: 'string' },
      'admin-port': { type: 'string', default: '0' },
      'token-file': { type: 'string' },
      'upstream-timeout-ms': { type: 'string' },
      'log-level': { type: 'string', default: 'info' },
    },
    strict: true,
  });
  const stateDir = values['state-dir'];
  if (stateDir === undefined) throw new InputError('SLW_ERR_CLI_USAGE', '--state-dir is required');
  const adminPort = Number(values['admin-port']);
  if (!Number.isInteger(adminPort) || adminPort < 0 || adminPort > 65535) throw new InputError('SLW_ERR_CLI_USAGE', '--admin-port must be a port number');
  const timeout = values['upstream-timeout-ms'] === undefined ? undefined : Number(values['upstream-timeout-ms']);
  if (timeout !== undefined && !(Number.isInteger(timeout) && timeout > 0)) throw new InputError('SLW_ERR_CLI_USAGE', '--upstream-timeout-ms must be a positive integer');
  return {
    stateDir,
    adminPort,
    tokenFile: values['token-file'] ?? `${stateDir}/token`,
    upstreamTimeoutMs: timeout,
    logLevel: values['log-level'] as LogLevel,
  };
}

/**
 * Runs the router as its own process until SIGTERM or SIGINT: loads the last
 * table from the state directory, serves it, opens the admin API, and writes
 * `router.json`. Prints one JSON line `{ "ready": true, ... }` on stdout once serving.
 */
export async function runRouterProcess(argv: readonly string[]): Promise<void> {
  const args = parseRouterArgs(argv);
  const logger = createLogger({ level: args.logLevel, component: 'router' });
  const token = readOrCreateSecret(args.tokenFile);
  const router = createRouter({ stateDir: args.stateDir, upstreamTimeoutMs: args.upstreamTimeoutMs, logger });
  const status = await router.start();
  const admin = await startAdminServer(router, { token, port: args.adminPort, logger });
  process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid, adminPort: admin.port, version: status.version, listeners: router.status().listeners })}\n`);
  logger.info('router serving', { adminPort: admin.port, version: status.version });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('router stopping', { signal });
    void Promise.all([admin.close(), router.close()]).then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
