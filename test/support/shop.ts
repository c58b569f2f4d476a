import fs from 'node:fs';
import path from 'node:path';

/** The example shop's folder. */
export const SHOP_DIR = path.resolve(import.meta.dirname, '../../examples/shop');

/** Options of {@link writeShopConfig}. */
export interface ShopConfigOptions {
  /** Environments to define; each gets ingress port 0 (a free port). @default ['production'] */
  readonly environments?: readonly string[];
  /** Tasks per service. @default 1 */
  readonly tasks?: number;
  /** Tasks of particular services, over `tasks`. @default {} */
  readonly serviceTasks?: Readonly<Record<string, number>>;
  /** Extra settings of every environment (strategy, hooks, rollbackOn, testPort). @default {} */
  readonly environment?: Readonly<Record<string, unknown>>;
  /** Health-check settings over the fast defaults (e.g. a longer timeout on a busy machine). @default {} */
  readonly health?: Readonly<Record<string, unknown>>;
  /** Alarms of the app. @default none */
  readonly alarms?: Readonly<Record<string, unknown>>;
  /** Extra environment variables of every service. @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Dashboards of the app. @default none */
  readonly dashboards?: Readonly<Record<string, unknown>>;
  /** Feature flags of the app (the shop's orders service reads `newCheckout`). @default none */
  readonly flags?: Readonly<Record<string, unknown>>;
  /** Experiments of the app (the shop's own `new-checkout` is the one its config declares). @default none */
  readonly experiments?: Readonly<Record<string, unknown>>;
  /** Extra environment variables of particular services, over `env` and the defaults (e.g. payments' `PAYMENTS_FAILURE_RATE`). @default {} */
  readonly serviceEnv?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/**
 * Writes a JSON app definition for the example shop into `dir`: the shop's
 * real services (absolute paths), ingress on free ports, fast health checks,
 * no pipeline. Tests use it so they never clash with a running demo's ports.
 */
export function writeShopConfig(dir: string, options: ShopConfigOptions = {}): string {
  // Lenient enough that a CPU-starved machine (two cores, several suites) does not take healthy tasks out.
  const health = { path: '/healthz', interval: '1s', timeout: '900ms', healthyThreshold: 1, unhealthyThreshold: 5, gracePeriod: '5s', ...options.health };
  const n = options.tasks ?? 1;
  const service = (name: string, env: Record<string, string> = {}, ingress = false) => ({
    path: path.join(SHOP_DIR, 'services', name),
    start: 'node server.js',
    health,
    scaling: { min: options.serviceTasks?.[name] ?? n, max: options.serviceTasks?.[name] ?? n },
    ...(ingress ? { ingress: { pathPrefix: '/' } } : {}),
    ...(Object.keys(env).length || options.env || options.serviceEnv?.[name] ? { env: { ...options.env, ...env, ...options.serviceEnv?.[name] } } : {}),
  });
  const config = {
    name: 'shop',
    services: {
      gateway: service('gateway', { CATALOG_URL: '${services.catalog.url}', ORDERS_URL: '${services.orders.url}' }, true),
      catalog: service('catalog'),
      orders: service('orders', { CATALOG_URL: '${services.catalog.url}', PAYMENTS_URL: '${services.payments.url}' }),
      payments: service('payments', { PAYMENTS_LATENCY_MS: '5' }),
    },
    environments: Object.fromEntries((options.environments ?? ['production']).map((e) => [e, { ingressPort: 0, ...options.environment }])),
    ...(options.alarms ? { alarms: options.alarms } : {}),
    ...(options.dashboards ? { dashboards: options.dashboards } : {}),
    ...(options.flags ? { flags: options.flags } : {}),
    ...(options.experiments ? { experiments: options.experiments } : {}),
  };
  const file = path.join(dir, 'slipway.config.json');
  fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}
