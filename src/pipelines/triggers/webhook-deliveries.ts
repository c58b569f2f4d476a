import type { Db } from '../../core/index.js';

/** Records a webhook delivery id; false when it was seen before (a replay or a redelivery). */
export function recordDelivery(db: Db, id: string, event: string, nowMs: number): boolean {
  return db.prepare('INSERT OR IGNORE INTO pipeline_webhook_deliveries (id, event, received_ms) VALUES (?, ?, ?)').run(id, event, nowMs).changes > 0;
}
