import type { Db } from '../../core/index.js';

/**
 * How long a webhook delivery id is remembered: 30 days, well past the window in which GitHub
 * lets a delivery be redelivered (3 days on github.com, 7 on GitHub Enterprise Server). Within
 * it the same id is refused (409); after it, a replayed push still starts nothing, because a
 * push is refused unless its commit is newer than the ref's recorded head and was never built
 * for that ref (see `decideHead`).
 */
export const WEBHOOK_DELIVERY_RETENTION_MS = 30 * 86_400_000;

/**
 * Records a webhook delivery id; false when it was seen within the retention window (a replay or
 * a redelivery). Ids older than `retentionMs` are dropped first, so the table stays small.
 */
export function recordDelivery(db: Db, id: string, event: string, nowMs: number, retentionMs = WEBHOOK_DELIVERY_RETENTION_MS): boolean {
  return db.transaction(() => {
    db.prepare('DELETE FROM pipeline_webhook_deliveries WHERE received_ms < ?').run(nowMs - retentionMs);
    return db.prepare('INSERT OR IGNORE INTO pipeline_webhook_deliveries (id, event, received_ms) VALUES (?, ?, ?)').run(id, event, nowMs).changes > 0;
  })();
}

/** Forgets a delivery id, when its handling failed and GitHub may redeliver it under the same id. */
export function forgetDelivery(db: Db, id: string): void {
  db.prepare('DELETE FROM pipeline_webhook_deliveries WHERE id = ?').run(id);
}
