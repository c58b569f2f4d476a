// The catalog database: SQLite through better-sqlite3, created and seeded on
// start, in memory unless DATA_DIR is set.
import path from 'node:path';
import Database from 'better-sqlite3';
import { seed } from './seed.js';

// ─── DEMO LEVER: the reviews index ─────────────────────────────────────────
// `reviews.product_sku` has no index, so every reviews summary scans all the
// reviews (tens of milliseconds). Setting this to `true` is the one-line fix.
// CATALOG_REVIEWS_INDEX=1 or =0 in the environment overrides it.
export const ADD_REVIEWS_INDEX = false;
// ────────────────────────────────────────────────────────────────────────────

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS products (
    id          INTEGER PRIMARY KEY,
    sku         TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    category    TEXT NOT NULL,
    description TEXT NOT NULL,
    price_cents INTEGER NOT NULL,
    stock       INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS reviews (
    id            INTEGER PRIMARY KEY,
    product_sku   TEXT NOT NULL,
    rating        INTEGER NOT NULL,
    author        TEXT NOT NULL,
    body          TEXT NOT NULL,
    helpful_votes INTEGER NOT NULL,
    created_at    TEXT NOT NULL
  );`;

/** Whether the reviews index is wanted: CATALOG_REVIEWS_INDEX if set, else ADD_REVIEWS_INDEX. */
export function reviewsIndexWanted(env = process.env) {
  const value = env.CATALOG_REVIEWS_INDEX?.trim();
  return value ? value === '1' || value === 'true' : ADD_REVIEWS_INDEX;
}

/**
 * Opens (and if empty, seeds) the catalog database.
 * @param {{ dataDir?: string, products?: number, reviews?: number, reviewsIndex?: boolean }} [options]
 *   dataDir defaults to $DATA_DIR (unset: in memory); 2000 products, 100000 reviews.
 */
export function openCatalogDb(options = {}) {
  const dataDir = options.dataDir ?? process.env.DATA_DIR;
  const db = new Database(dataDir ? path.join(dataDir, 'catalog.db') : ':memory:');
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  // Replicas sharing a DATA_DIR may start together: the first one seeds.
  db.transaction(() => {
    if (db.prepare('SELECT count(*) AS n FROM products').get().n === 0) {
      seed(db, { products: options.products ?? 2000, reviews: options.reviews ?? 100_000 });
    }
  }).immediate();

  if (options.reviewsIndex ?? reviewsIndexWanted()) {
    db.exec('CREATE INDEX IF NOT EXISTS reviews_product_sku ON reviews (product_sku)');
  } else {
    db.exec('DROP INDEX IF EXISTS reviews_product_sku');
  }
  return db;
}
