import fs from 'node:fs';
import path from 'node:path';
import { allocatePort, isAlive, signalProcessGroup, silentLogger, spawnProcess, type Logger } from '../../../core/index.js';
import { UnavailableError } from '../../../shared/index.js';
import { RegistryClient } from '../client/registry-client.js';
import { findRegistryBinary } from './find-registry-binary.js';
import { registryConfig } from './registry-config.js';

/** Options of {@link ensureRegistry}. */
export interface EnsureRegistryOptions {
  /** The registry's directory: its config, `registry.json`, log and storage. */
  readonly stateDir: string;
  /** Port for a new registry; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** The registry binary. @default `findRegistryBinary()` */
  readonly binary?: string;
  /** How long a new registry may take to answer. @default 10000 */
  readonly startTimeoutMs?: number;
  readonly logger?: Logger;
}

/** What `registry.json` records of a running registry. */
export interface RegistryInfo {
  readonly pid: number;
  /** Base URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly startedAtMs: number;
}

/** A registry process slipway started or adopted. */
export interface RegistryHandle {
  readonly client: RegistryClient;
  readonly info: RegistryInfo;
  /** True when a running registry was found and re-used. */
  readonly adopted: boolean;
  /** Stops the registry (SIGTERM, then SIGKILL after `timeoutMs`). */
  stop(timeoutMs?: number): Promise<void>;
}

/** `registry.json` of a state directory, or undefined. */
export function readRegistryInfo(stateDir: string): RegistryInfo | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(stateDir, 'registry.json'), 'utf8')) as RegistryInfo;
  } catch {
    return undefined;
  }
}

/**
 * Finds the local registry of this state directory, or starts one: the distribution registry (the
 * registry behind Docker Hub and ECR's API shape) on loopback, in its own process group with its
 * output in `registry.log`, so images stay pullable while the control plane restarts; a restarted
 * control plane adopts it through `registry.json`.
 * @throws UnavailableError `SLW_ERR_IMAGES_REGISTRY_UNAVAILABLE` when no registry binary is installed
 *   (with the install command) or the registry does not come up.
 */
export async function ensureRegistry(options: EnsureRegistryOptions): Promise<RegistryHandle> {
  const logger = options.logger ?? silentLogger;
  fs.mkdirSync(options.stateDir, { recursive: true, mode: 0o700 });
  const existing = readRegistryInfo(options.stateDir);
  if (existing !== undefined && isAlive(existing.pid)) {
    const client = new RegistryClient(existing.url);
    if (await client.ping()) {
      logger.info('adopted running registry', { pid: existing.pid, url: existing.url });
      return handle(client, existing, true);
    }
    throw new UnavailableError('SLW_ERR_IMAGES_REGISTRY_UNAVAILABLE', `a registry is recorded as pid ${existing.pid} in ${options.stateDir} but does not answer at ${existing.url}; stop that process or remove registry.json`);
  }
  const binary = options.binary ?? findRegistryBinary();
  if (binary === undefined) {
    throw new UnavailableError('SLW_ERR_IMAGES_REGISTRY_UNAVAILABLE', 'no container registry is installed: install the distribution registry (Debian: `apt-get install docker-registry`) or set SLIPWAY_REGISTRY_BIN');
  }
  fs.rmSync(path.join(options.stateDir, 'registry.json'), { force: true });
  const port = options.port !== undefined && options.port !== 0 ? options.port : await allocatePort();
  const configFile = path.join(options.stateDir, 'config.yml');
  fs.writeFileSync(configFile, registryConfig({ storageDir: path.join(options.stateDir, 'storage'), port }), { mode: 0o600 });
  const logFile = path.join(options.stateDir, 'registry.log');
  const fd = fs.openSync(logFile, 'a', 0o600);
  const child = spawnProcess(binary, ['serve', configFile], { processGroup: true, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  child.unref();
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited with ${signal ?? `code ${code}`}`));
  child.once('error', (err) => (exited = `could not start: ${err.message}`));
  const info: RegistryInfo = { pid: child.pid ?? 0, url: `http://127.0.0.1:${port}`, startedAtMs: Date.now() };
  const client = new RegistryClient(info.url);
  const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
  for (;;) {
    if (exited === undefined && (await client.ping())) break;
    if (exited !== undefined || Date.now() > deadline) {
      if (exited === undefined && child.pid !== undefined) signalProcessGroup(child.pid, 'SIGKILL');
      const tail = fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-3).join(' | ');
      throw new UnavailableError('SLW_ERR_IMAGES_REGISTRY_UNAVAILABLE', `the registry ${exited ?? 'did not answer in time'}${tail ? `: ${tail}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  fs.writeFileSync(path.join(options.stateDir, 'registry.json'), `${JSON.stringify(info)}\n`, { mode: 0o600 });
  logger.info('started registry', { pid: info.pid, url: info.url });
  return handle(client, info, false);
}

function handle(client: RegistryClient, info: RegistryInfo, adopted: boolean): RegistryHandle {
  let stopped = false;
  return {
    client,
    info,
    adopted,
    async stop(timeoutMs = 5000) {
      if (stopped) return;
      stopped = true;
      if (!signalProcessGroup(info.pid, 'SIGTERM')) return;
      const deadline = Date.now() + timeoutMs;
      while (isAlive(info.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      if (isAlive(info.pid)) signalProcessGroup(info.pid, 'SIGKILL');
    },
  };
}
