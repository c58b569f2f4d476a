import type { Db } from '../../core/index.js';

/**
 * Records `sha` as the head of `ref` when it is new. Returns true only for
 * the caller that moved it, so the poller and a webhook reporting the same
 * push start one run between them, and a restart does not start it again.
 */
export function claimHead(db: Db, ref: string, sha: string, nowMs: number): boolean {
  const r = db
    .prepare('INSERT INTO pipeline_source_heads (ref, sha, updated_ms) VALUES (?, ?, ?) ON CONFLICT (ref) DO UPDATE SET sha = excluded.sha, updated_ms = excluded.updated_ms WHERE sha <> excluded.sha')
    .run(ref, sha, nowMs);
  return r.changes > 0;
}

/** Forgets a deleted ref, so recreating it later starts a run. */
export function forgetHead(db: Db, ref: string): void {
  db.prepare('DELETE FROM pipeline_source_heads WHERE ref = ?').run(ref);
}

/** The recorded heads, by ref. */
export function knownHeads(db: Db): Map<string, string> {
  return new Map(db.prepare<[], { ref: string; sha: string }>('SELECT ref, sha FROM pipeline_source_heads').all().map((r) => [r.ref, r.sha]));
}
