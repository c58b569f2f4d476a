// payments — simulated card processing.
//   PORT (default 3003; 0 picks a free port), HOST (default 127.0.0.1)
//   PAYMENTS_LATENCY_MS (default 20), PAYMENTS_FAILURE_RATE (default FAILURE_RATE in app.js)
import '../../lib/telemetry.js';
import { log } from '../../lib/log.js';
import { startService } from '../../lib/service.js';
import { createPaymentsRouter, paymentsConfig } from './app.js';

const config = paymentsConfig();
log.info('payments configured', { latency_ms: config.latencyMs, failure_rate: config.failureRate });
await startService(createPaymentsRouter(config), { port: Number(process.env.PORT ?? 3003) });
