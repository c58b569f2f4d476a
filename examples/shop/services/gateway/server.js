// gateway — the shop's front door: the HTML page and the public /api.
//   PORT (default 3000; 0 picks a free port), HOST (default 127.0.0.1)
//   CATALOG_URL (default http://127.0.0.1:3001), ORDERS_URL (default http://127.0.0.1:3002)
import '../../lib/telemetry.js';
import { startService } from '../../lib/service.js';
import { createGatewayRouter } from './app.js';

const router = createGatewayRouter({
  catalogUrl: process.env.CATALOG_URL || 'http://127.0.0.1:3001',
  ordersUrl: process.env.ORDERS_URL || 'http://127.0.0.1:3002',
});
await startService(router, { port: Number(process.env.PORT ?? 3000) });
