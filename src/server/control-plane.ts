import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import {
  EventLog,
  ensureDataDir,
  eventMigrations,
  openDatabase,
  readOrCreateSecret,
  resolveDataDir,
  silentLogger,
  writeFileAtomic,
  type DataDir,
  type Db,
  type Logger,
} from '../core/index.js';
import { buildServer } from './build-server.js';
import { acquireLock } from './lock.js';
import type { StatusContributor } from './routes/status.js';

/** Options of {@link startControlPlane}. */
export interface ControlPlaneOptions {
  /** The data directory. @default '.slipway' */
  readonly dataDir?: string;
  /** Interface the API listens on. @default '127.0.0.1' */
  readonly host?: string;
  /** API port; 0 picks a free one. @default 4400 */
  readonly port?: number;
  /** The API token; otherwise `SLIPWAY_TOKEN`, otherwise `<data>/token` (created at first start). */
  readonly token?: string;
  /** Diagnostic logger. @default silentLogger */
  readonly logger?: Logger;
}

/** What `slipway up` records in `<data>/server.json` for client verbs. */
export interface ServerRecord {
  readonly url: string;
  readonly pid: number;
  readonly startedAt: string;
  readonly ports: Readonly<Record<string, number>>;
}

/** A running control plane. */
export interface ControlPlane {
  readonly url: string;
  readonly token: string;
  readonly dataDir: DataDir;
  readonly db: Db;
  readonly events: EventLog;
  readonly app: FastifyInstance;
  /** Stops serving and closes the store. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts the control plane: store, event log, API. Each later context adds
 * itself here (its migrations, its routes, its background loops), which is
 * what makes this the composition root.
 */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const logger = options.logger ?? silentLogger;
  const dataDir = resolveDataDir(options.dataDir);
  ensureDataDir(dataDir);
  const release = acquireLock(path.join(dataDir.runDir, 'control-plane.pid'));
  let db: Db | undefined;
  try {
    db = openDatabase(dataDir.dbFile, { migrations: [...eventMigrations] });
    // An empty SLIPWAY_TOKEN counts as unset: an empty token would let anyone in.
    const token = options.token ?? (process.env.SLIPWAY_TOKEN || undefined) ?? readOrCreateSecret(dataDir.tokenFile);
    const events = new EventLog(db, { onListenerError: (err) => logger.error('event listener failed', { err }) });
    const startedAt = new Date().toISOString();
    const ports: Record<string, number> = {};
    const status = new Map<string, StatusContributor>([
      ['server', () => ({ version: packageVersion(), pid: process.pid, startedAt, dataDir: dataDir.root, ports: { ...ports } })],
      ['events', () => ({ lastSeq: events.lastSeq() })],
    ]);
    const app = await buildServer({ events, token, logger, status });
    await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 4400 });
    const address = app.server.address();
    const apiPort = typeof address === 'object' && address ? address.port : (options.port ?? 4400);
    ports.api = apiPort;
    const host = options.host ?? '127.0.0.1';
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${apiPort}`;
    const record: ServerRecord = { url, pid: process.pid, startedAt, ports };
    events.append({ type: 'controlplane.started', subject: 'controlplane', data: { pid: process.pid, url } });
    // Written last: its presence tells clients the control plane is fully up.
    writeFileAtomic(dataDir.serverFile, `${JSON.stringify(record, null, 2)}\n`);
    logger.info('control plane started', { url });

    const openDb = db;
    let closing: Promise<void> | undefined;
    return {
      url,
      token,
      dataDir,
      db: openDb,
      events,
      app,
      close: () =>
        (closing ??= (async () => {
          events.append({ type: 'controlplane.stopped', subject: 'controlplane', data: { pid: process.pid } });
          await app.close();
          fs.rmSync(dataDir.serverFile, { force: true });
          openDb.close();
          release();
        })()),
    };
  } catch (err) {
    db?.close();
    release();
    throw err;
  }
}

let version: string | undefined;
/** This package's version, read once. */
export function packageVersion(): string {
  if (version === undefined) {
    const here = path.dirname(new URL(import.meta.url).pathname);
    for (const candidate of ['../../package.json', '../../../package.json']) {
      const file = path.resolve(here, candidate);
      if (fs.existsSync(file)) {
        version = (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
        break;
      }
    }
    version ??= '0.0.0';
  }
  return version;
}
