import path from 'node:path';

/**
 * The name this process reports as `service.name` and in its log lines:
 * OTEL_SERVICE_NAME, else SLIPWAY_SERVICE, else the folder of the started
 * script (`services/orders/server.js` → `orders`).
 */
export const serviceName =
  process.env.OTEL_SERVICE_NAME ||
  process.env.SLIPWAY_SERVICE ||
  path.basename(path.dirname(path.resolve(process.argv[1] ?? 'shop/server.js')));
