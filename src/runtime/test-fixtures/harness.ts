// Test support for the supervisor's tests: a temporary data dir and database, fixture specs, polling.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventLog, eventMigrations, openDatabase, signalProcessGroup, type Db, type SlipwayEvent } from '../../core/index.js';
import type { TaskSetSpec } from '../model.js';
import { runtimeMigrations } from '../store/migrations.js';

/** The folder of the fixture programs. */
export const FIXTURES_DIR = import.meta.dirname;

/** A temporary data directory with a migrated database. */
export interface RuntimeTestEnv {
  readonly dir: string;
  readonly dbFile: string;
  db: Db;
  events: EventLog;
  /** Opens the database again (a new control plane over the same data directory). */
  reopen(): void;
  /** SIGKILLs every process group the database knows of, closes the database, removes the directory. */
  cleanup(): void;
}

/** Creates a {@link RuntimeTestEnv}. */
export function createRuntimeTestEnv(): RuntimeTestEnv {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-runtime-'));
  const dbFile = path.join(dir, 'slipway.db');
  const open = () => openDatabase(dbFile, { migrations: [...eventMigrations, ...runtimeMigrations], synchronous: 'NORMAL' });
  const env: RuntimeTestEnv = {
    dir,
    dbFile,
    db: open(),
    events: undefined as unknown as EventLog,
    reopen() {
      if (env.db.open) env.db.close();
      env.db = open();
      env.events = new EventLog(env.db);
    },
    cleanup() {
      try {
        const db = env.db.open ? env.db : open();
        for (const { pgid } of db.prepare<[], { pgid: number | null }>('SELECT pgid FROM runtime_tasks').all()) {
          if (pgid !== null) signalProcessGroup(pgid, 'SIGKILL');
        }
        db.close();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  env.events = new EventLog(env.db);
  return env;
}

/** A spec running one of the fixture programs with fast health checks. */
export function fixtureSpec(fixture: string, overrides: Partial<Omit<TaskSetSpec, 'health'>> & { readonly health?: Partial<TaskSetSpec['health']> } = {}): TaskSetSpec {
  return {
    environment: 'staging',
    service: 'api',
    revision: 'r1',
    command: `exec node ${fixture}.mjs`,
    cwd: FIXTURES_DIR,
    env: {},
    desiredCount: 1,
    portEnv: 'PORT',
    drainMs: 0,
    stopTimeoutMs: 2000,
    ...overrides,
    health: { path: '/healthz', intervalMs: 100, timeoutMs: 300, healthyThreshold: 1, unhealthyThreshold: 2, gracePeriodMs: 3000, ...overrides.health },
  };
}

/** Polls `check` until it returns something other than undefined; fails after `timeoutMs`. For external processes only. */
export async function waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 10_000, intervalMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Events of a type (prefix), optionally of one task, oldest first. */
export function eventsOf(events: EventLog, type: string, taskId?: string): SlipwayEvent[] {
  return events.list({ type, ...(taskId ? { subject: `task/${taskId}` } : {}), limit: 10_000 });
}

/** The types of the events about one task, in order. */
export function taskEventTypes(events: EventLog, taskId: string): string[] {
  return events.list({ subject: `task/${taskId}`, limit: 10_000 }).map((e) => e.type);
}

/** Fetches a path from a task with a plain GET; resolves the body. */
export async function httpGet(port: number, urlPath: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}${urlPath}`);
  return res.text();
}
