import fs from 'node:fs';
import path from 'node:path';
import { exec } from '../../src/core/index.js';
import { SHOP_DIR } from './shop.js';

/** The repository's own root: a shop repository must sit inside it, where the shop's services find its node_modules. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/** A git repository of the example shop that a control plane's pipeline watches. */
export interface ShopRepo {
  /** The repository (its root holds `slipway.config.json`). */
  readonly dir: string;
  /** The app definition to give the control plane. */
  readonly configFile: string;
  /** The commit checked out in the working copy: what a control plane started here runs at first. */
  readonly released: string;
  /** The commit on `main`: {@link ShopRepoOptions.change} on top of `released`, for the pipeline to take to production. */
  readonly head: string;
}

/** A change to one line of the shop, committed as a developer would. */
export interface ShopChange {
  /** The file, relative to the shop. */
  readonly file: string;
  readonly from: RegExp;
  readonly to: string;
  /** The commit message. */
  readonly message: string;
}

/** The demo's `slipway demo fix`: the catalog gets the index its reviews queries need. */
export const CATALOG_INDEX: ShopChange = {
  file: 'services/catalog/db.js',
  from: /export const ADD_REVIEWS_INDEX = false;/,
  to: 'export const ADD_REVIEWS_INDEX = true;',
  message: 'catalog: index reviews by product',
};

/** Options of {@link makeShopRepo}. */
export interface ShopRepoOptions {
  /** Time at each step of production's canary. @default '2s' */
  readonly canaryInterval?: string;
  /** Alarms over those the app always has (`gateway-5xx`, which rolls production back). @default {} */
  readonly alarms?: Readonly<Record<string, unknown>>;
  /** The change committed on `main` after the released commit. @default {@link CATALOG_INDEX} */
  readonly change?: ShopChange;
  /** Dashboards of the app. @default none */
  readonly dashboards?: Readonly<Record<string, unknown>>;
  /** The app's `telemetry` (e.g. `rum`). @default none */
  readonly telemetry?: Readonly<Record<string, unknown>>;
  /** Production's ingress port, when a test must know it before the start (a CORS origin). @default 0 */
  readonly productionIngressPort?: number;
}

const GIT = ['-c', 'user.email=dev@shop.invalid', '-c', 'user.name=shop developer', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main'];

async function git(dir: string, args: readonly string[]): Promise<string> {
  const r = await exec('git', [...GIT, ...args], { cwd: dir, timeoutMs: 30_000 });
  if (r.code !== 0) throw new Error(`git ${args.join(' ')} in ${dir}: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout.trim();
}

/**
 * The shop's app definition as a pipeline-driven test runs it: the shop's own
 * pipeline (Build, Test, Staging, Approve, Production) and services, with one
 * task each, ingress on free ports, a short canary in production and fast
 * telemetry export, so a run goes from commit to production in well under a
 * minute. Paths are relative: deployments run what the pipeline built.
 */
export function shopPipelineConfig(options: ShopRepoOptions = {}): Record<string, unknown> {
  // Lenient enough that a CPU-starved machine does not take healthy tasks out.
  const health = { path: '/healthz', interval: '1s', timeout: '900ms', healthyThreshold: 1, unhealthyThreshold: 5, gracePeriod: '5s' };
  // Spans every 500 ms and metrics every 2 s (the SDK's defaults are 5 s and 10 s): the views have data sooner.
  const otel = { OTEL_BSP_SCHEDULE_DELAY: '500', OTEL_METRIC_EXPORT_INTERVAL: '2000', OTEL_BLRP_SCHEDULE_DELAY: '500' };
  const service = (name: string, env: Record<string, string> = {}, ingress = false) => ({
    path: `services/${name}`,
    start: 'node server.js',
    health,
    scaling: { min: 1, max: 1 },
    ...(ingress ? { ingress: { pathPrefix: '/' } } : {}),
    env: { ...otel, ...env },
  });
  return {
    name: 'shop',
    services: {
      gateway: service('gateway', { CATALOG_URL: '${services.catalog.url}', ORDERS_URL: '${services.orders.url}' }, true),
      catalog: service('catalog'),
      orders: service('orders', { CATALOG_URL: '${services.catalog.url}', PAYMENTS_URL: '${services.payments.url}' }),
      payments: service('payments', { PAYMENTS_LATENCY_MS: '5' }),
    },
    environments: {
      staging: { ingressPort: 0, strategy: 'CodeDeployDefault.AllAtOnce' },
      production: {
        ingressPort: options.productionIngressPort ?? 0,
        strategy: { type: 'canary', steps: [25, 100], interval: options.canaryInterval ?? '2s' },
        rollbackOn: ['gateway-5xx'],
        // A real check before the canary takes traffic: the gateway's code parses.
        hooks: { BeforeAllowTraffic: { command: 'node --check services/gateway/server.js', timeout: '30s' } },
      },
    },
    pipeline: {
      trigger: { branches: ['main'] },
      stages: [
        { name: 'Build', actions: [{ type: 'build', buildspec: 'buildspec.yml' }] },
        {
          name: 'Test',
          actions: [
            { type: 'build', name: 'unit', buildspec: 'buildspec.test.yml', runOrder: 1 },
            { type: 'scan', name: 'secrets', runOrder: 1 },
          ],
        },
        { name: 'Staging', actions: [{ type: 'deploy', environment: 'staging' }] },
        { name: 'Approve', actions: [{ type: 'approval', timeout: '1h' }] },
        { name: 'Production', actions: [{ type: 'deploy', environment: 'production' }] },
      ],
    },
    alarms: {
      'gateway-5xx': {
        description: 'The shop answers with server errors (checkouts failing?)',
        metric: 'HTTPCode_Target_5XX_Count',
        service: 'gateway',
        stat: 'Sum',
        period: '10s',
        threshold: 5,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
      },
      ...options.alarms,
    },
    ...(options.dashboards ? { dashboards: options.dashboards } : {}),
    ...(options.telemetry ? { telemetry: options.telemetry } : {}),
  };
}

/**
 * Makes `dir` a git repository of the example shop: a first commit (its
 * services, libraries, tests and buildspecs, and {@link shopPipelineConfig} as
 * `slipway.config.json`), then a change on `main`, with the working copy left
 * at the first commit (detached). A control plane started here runs the first
 * commit in every environment, as `slipway up` runs a working copy, and its
 * pipeline finds `main` one commit ahead: a release to take from commit to
 * production, replacing a running revision in each environment.
 *
 * The unit-test buildspec runs the services' own tests (the end-to-end ones in
 * `test/` start whole shops of their own, which a pipeline beside a running
 * shop on a small machine need not repeat). `dir` must be inside {@link REPO_ROOT}.
 */
export async function makeShopRepo(dir: string, options: ShopRepoOptions = {}): Promise<ShopRepo> {
  if (!path.resolve(dir).startsWith(`${REPO_ROOT}${path.sep}`)) throw new Error(`${dir} is outside ${REPO_ROOT}: the shop's services would not find their packages`);
  fs.cpSync(SHOP_DIR, dir, { recursive: true, filter: (src) => !/(^|\/)(node_modules|reports)(\/|$)/.test(path.relative(SHOP_DIR, src)) });
  fs.rmSync(path.join(dir, 'slipway.config.ts'));
  const testSpec = path.join(dir, 'buildspec.test.yml');
  const spec = fs.readFileSync(testSpec, 'utf8');
  if (!spec.includes('npx --no vitest run ')) throw new Error(`${testSpec} no longer runs \`npx --no vitest run\`; update makeShopRepo`);
  fs.writeFileSync(testSpec, spec.replace('npx --no vitest run ', 'npx --no vitest run services '));
  const configFile = path.join(dir, 'slipway.config.json');
  fs.writeFileSync(configFile, `${JSON.stringify(shopPipelineConfig(options), null, 2)}\n`);
  await git(dir, ['init', '-q']);
  await git(dir, ['add', '-A']);
  await git(dir, ['commit', '-q', '-m', 'Open the shop: gateway, catalog, orders and payments']);
  const released = await git(dir, ['rev-parse', 'HEAD']);
  const change = options.change ?? CATALOG_INDEX;
  const file = path.join(dir, change.file);
  const text = fs.readFileSync(file, 'utf8');
  if (!change.from.test(text)) throw new Error(`${change.file} has no line matching ${change.from.source}; update the change`);
  fs.writeFileSync(file, text.replace(change.from, change.to));
  await git(dir, ['commit', '-q', '-am', change.message]);
  const head = await git(dir, ['rev-parse', 'HEAD']);
  await git(dir, ['checkout', '-q', '--detach', released]);
  return { dir, configFile, released, head };
}
