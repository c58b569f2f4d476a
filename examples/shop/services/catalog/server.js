// catalog — products and reviews from SQLite.
//   PORT (default 3001; 0 picks a free port), HOST (default 127.0.0.1)
//   DATA_DIR: keep the database in DATA_DIR/catalog.db (default: in memory)
//   CATALOG_REVIEWS_INDEX=1|0: override ADD_REVIEWS_INDEX (see db.js)
import '../../lib/telemetry.js';
import { log } from '../../lib/log.js';
import { startService } from '../../lib/service.js';
import { openCatalogDb, reviewsIndexWanted } from './db.js';
import { createCatalogRouter } from './app.js';

const started = performance.now();
const db = openCatalogDb();
log.info('catalog database ready', {
  products: db.prepare('SELECT count(*) AS n FROM products').get().n,
  reviews: db.prepare('SELECT count(*) AS n FROM reviews').get().n,
  reviews_index: reviewsIndexWanted(),
  seed_ms: Math.round(performance.now() - started),
});

await startService(createCatalogRouter(db), { port: Number(process.env.PORT ?? 3001), onClose: () => db.close() });
