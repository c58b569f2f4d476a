// orders — places orders: catalog for price and stock, payments for the charge.
//   PORT (default 3002; 0 picks a free port), HOST (default 127.0.0.1)
//   CATALOG_URL (default http://127.0.0.1:3001), PAYMENTS_URL (default http://127.0.0.1:3003)
import '../../lib/telemetry.js';
import { startService } from '../../lib/service.js';
import { createOrdersRouter } from './app.js';

const router = createOrdersRouter({
  catalogUrl: process.env.CATALOG_URL || 'http://127.0.0.1:3001',
  paymentsUrl: process.env.PAYMENTS_URL || 'http://127.0.0.1:3003',
});
await startService(router, { port: Number(process.env.PORT ?? 3002) });
