// gateway — the shop's front door: the HTML page and the public /api.
//   PORT (default 3000; 0 picks a free port), HOST (default 127.0.0.1)
//   CATALOG_URL (default http://127.0.0.1:3001), ORDERS_URL (default http://127.0.0.1:3002)
//   SLIPWAY_RUM_ENDPOINT, SLIPWAY_RUM_INGEST_KEY, SLIPWAY_RUM_SERVICE_NAME (set by slipway for
//   telemetry.rum): the page then sends browser traces (see browser/rum.js)
import '../../lib/telemetry.js';
import { startService } from '../../lib/service.js';
import { createGatewayRouter, rumSettings } from './app.js';

const router = createGatewayRouter({
  catalogUrl: process.env.CATALOG_URL || 'http://127.0.0.1:3001',
  ordersUrl: process.env.ORDERS_URL || 'http://127.0.0.1:3002',
  rum: rumSettings(process.env),
});
await startService(router, { port: Number(process.env.PORT ?? 3000) });
