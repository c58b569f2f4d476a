import fs from 'node:fs';
import path from 'node:path';
import { isAlive, readOrCreateSecret, signalProcessGroup, spawnProcess, silentLogger, type Logger } from '../../core/index.js';
import { UnavailableError } from '../../shared/index.js';
import { RouterClient } from '../client/router-client.js';
import { readRouterInfo, stateFiles, type RouterInfo } from '../state/state-files.js';

/** Options of {@link ensureRouter}. */
export interface EnsureRouterOptions {
  /** The router's state directory (table, `router.json`, log). */
  readonly stateDir: string;
  /** The admin token file; created (mode 0600) when missing. @default `<stateDir>/token` */
  readonly tokenFile?: string;
  /** Admin port for a new router; 0 picks a free one. @default 0 */
  readonly adminPort?: number;
  /** Upstream timeout of a new router. */
  readonly upstreamTimeoutMs?: number;
  /** How long a new router may take to serve. @default 10000 */
  readonly startTimeoutMs?: number;
  readonly logger?: Logger;
}

/** A router process the control plane started or adopted. */
export interface RouterHandle {
  readonly client: RouterClient;
  readonly info: RouterInfo;
  /** True when an already running router was found and re-used. */
  readonly adopted: boolean;
  /** Stops the router process (SIGTERM, then SIGKILL after `timeoutMs`). */
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * Finds the router that serves this state directory, or starts one. The router
 * runs in its own process group with its output in `router.log`, so it keeps
 * serving when the control plane dies; a restarted control plane adopts it
 * through `router.json` instead of starting a second one.
 */
export async function ensureRouter(options: EnsureRouterOptions): Promise<RouterHandle> {
  const logger = options.logger ?? silentLogger;
  const tokenFile = options.tokenFile ?? path.join(options.stateDir, 'token');
  fs.mkdirSync(options.stateDir, { recursive: true, mode: 0o700 });
  const token = readOrCreateSecret(tokenFile);
  const existing = readRouterInfo(options.stateDir);
  if (existing && isAlive(existing.pid)) {
    const client = new RouterClient({ url: existing.adminUrl, token });
    try {
      const health = await client.health();
      if (health.pid === existing.pid) {
        logger.info('adopted running router', { pid: existing.pid });
        return handle(client, existing, true);
      }
    } catch {
      // Fall through: the recorded pid is alive but is not our router (pid reuse) or is hung.
    }
    await client.close();
    throw new UnavailableError('SLW_ERR_ROUTER_UNAVAILABLE', `a router is recorded as pid ${existing.pid} in ${options.stateDir} but does not answer at ${existing.adminUrl}; stop that process or remove router.json`);
  }
  fs.rmSync(stateFiles(options.stateDir).infoFile, { force: true });
  const logFile = path.join(options.stateDir, 'router.log');
  const fd = fs.openSync(logFile, 'a', 0o600);
  const args = [routerMain(), '--state-dir', options.stateDir, '--admin-port', String(options.adminPort ?? 0), '--token-file', tokenFile];
  if (options.upstreamTimeoutMs !== undefined) args.push('--upstream-timeout-ms', String(options.upstreamTimeoutMs));
  const child = spawnProcess(process.execPath, args, { processGroup: true, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  child.unref();
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited with ${signal ?? `code ${code}`}`));
  const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
  for (;;) {
    const info = readRouterInfo(options.stateDir);
    // router.json is first written before the admin API listens (adminUrl still empty).
    if (info && info.pid === child.pid && info.adminUrl !== '') {
      logger.info('started router', { pid: info.pid, adminUrl: info.adminUrl });
      return handle(new RouterClient({ url: info.adminUrl, token }), info, false);
    }
    if (exited !== undefined || Date.now() > deadline) {
      if (exited === undefined && child.pid !== undefined) signalProcessGroup(child.pid, 'SIGKILL');
      const tail = fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-3).join(' | ');
      throw new UnavailableError('SLW_ERR_ROUTER_UNAVAILABLE', `the router ${exited ?? 'did not start in time'}${tail ? `: ${tail}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

function handle(client: RouterClient, info: RouterInfo, adopted: boolean): RouterHandle {
  let stopped = false;
  return {
    client,
    info,
    adopted,
    async stop(timeoutMs = 5000) {
      if (stopped) return;
      stopped = true;
      await client.close();
      if (!signalProcessGroup(info.pid, 'SIGTERM')) return;
      const deadline = Date.now() + timeoutMs;
      while (isAlive(info.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      if (isAlive(info.pid)) signalProcessGroup(info.pid, 'SIGKILL');
    },
  };
}

/** The compiled router entry: beside this module in dist/, or dist/ when running from source (tests). */
function routerMain(): string {
  const here = path.dirname(new URL(import.meta.url).pathname);
  const sibling = path.resolve(here, '../main.js');
  if (fs.existsSync(sibling)) return sibling;
  const built = path.resolve(here, '../../../dist/src/router/main.js');
  if (fs.existsSync(built)) return built;
  throw new UnavailableError('SLW_ERR_ROUTER_UNAVAILABLE', `the compiled router is missing (${built}); run \`npm run build\``);
}
