import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../core/index.js';
import { runMigrations } from '../engine/migrations.js';
import { forgetDelivery, recordDelivery, WEBHOOK_DELIVERY_RETENTION_MS } from './webhook-deliveries.js';

let db: Db | undefined;
afterEach(() => db?.close());

describe('recordDelivery', () => {
  const DAY = 86_400_000;
  const cases: { name: string; firstAtMs: number; againAtMs: number; fresh: boolean }[] = [
    { name: 'the same id a second later is a replay', firstAtMs: 0, againAtMs: 1_000, fresh: false },
    { name: 'the same id after 7 days (GitHub Enterprise\'s redelivery window) is a replay', firstAtMs: 0, againAtMs: 7 * DAY, fresh: false },
    { name: 'the same id at the end of the retention window is a replay', firstAtMs: 0, againAtMs: WEBHOOK_DELIVERY_RETENTION_MS, fresh: false },
    { name: 'the same id past the retention window is new again', firstAtMs: 0, againAtMs: WEBHOOK_DELIVERY_RETENTION_MS + 1, fresh: true },
  ];
  for (const c of cases) {
    it(c.name, () => {
      // GIVEN a delivery id received once
      db = openDatabase(':memory:', { migrations: runMigrations });
      expect(recordDelivery(db, 'abc-1', 'push', c.firstAtMs)).toBe(true);
      // WHEN it arrives again THEN it is refused within the window and accepted after it
      expect(recordDelivery(db, 'abc-1', 'push', c.againAtMs)).toBe(c.fresh);
    });
  }

  it('drops expired ids and keeps the others', () => {
    // GIVEN one old and one recent delivery
    db = openDatabase(':memory:', { migrations: runMigrations });
    recordDelivery(db, 'old', 'push', 0);
    recordDelivery(db, 'recent', 'push', 10 * 86_400_000);
    // WHEN a delivery arrives past the old one's window
    recordDelivery(db, 'new', 'push', WEBHOOK_DELIVERY_RETENTION_MS + 1);
    // THEN only the old one is gone
    expect(db.prepare<[], { id: string }>('SELECT id FROM pipeline_webhook_deliveries ORDER BY id').all().map((r) => r.id)).toEqual(['new', 'recent']);
  });

  it('accepts a forgotten id again', () => {
    // GIVEN a delivery whose handling failed and was forgotten WHEN it is redelivered THEN it is handled
    db = openDatabase(':memory:', { migrations: runMigrations });
    recordDelivery(db, 'abc-2', 'push', 0);
    forgetDelivery(db, 'abc-2');
    expect(recordDelivery(db, 'abc-2', 'push', 1)).toBe(true);
  });
});
