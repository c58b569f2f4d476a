import { SlipwayError } from '../../shared/index.js';
import type { Db } from './open-database.js';

/**
 * One forward-only schema change. Ids are global and never reused; each
 * context names its own (`core-001-events`, `telemetry-001-spans`, ...).
 */
export interface Migration {
  readonly id: string;
  /** SQL run once, in a transaction, in list order. */
  readonly sql: string;
}

/** Applies the migrations not applied yet, each in its own transaction. Returns the ids applied. */
export function migrate(db: Db, migrations: readonly Migration[]): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id TEXT PRIMARY KEY,
    applied_at INTEGER NOT NULL
  ) STRICT`);
  const seen = new Set<string>();
  for (const m of migrations) {
    if (seen.has(m.id)) throw new SlipwayError('SLW_ERR_STORE_MIGRATION', `migration id "${m.id}" is listed twice`);
    seen.add(m.id);
  }
  const done = new Set(db.prepare<[], { id: string }>('SELECT id FROM schema_migrations').all().map((r) => r.id));
  const applied: string[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)');
  for (const m of migrations) {
    if (done.has(m.id)) continue;
    try {
      db.transaction(() => {
        db.exec(m.sql);
        record.run(m.id, Date.now());
      }).immediate();
    } catch (cause) {
      throw new SlipwayError('SLW_ERR_STORE_MIGRATION', `migration ${m.id} failed: ${(cause as Error).message}`, { cause });
    }
    applied.push(m.id);
  }
  return applied;
}
