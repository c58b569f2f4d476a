// The shop's slipway definition: four services, two environments, a pipeline
// from commit to production, the alarms that roll a bad canary back, a flag.
import { defineApp, canary } from 'slipway';

const health = { path: '/healthz', interval: '2s', timeout: '1s', unhealthyThreshold: 3 };

// How the tasks run: as processes, or as containers from each service's image, which the
// pipeline's Images stage builds, scans and pushes to the local registry before any deploy.
// `slipway demo --containers` makes its copy of the shop with 'container' here, and BASE set to a
// Node image it builds from this machine's node (native modules in node_modules load in it).
const runtime = 'process' as 'process' | 'container';
const BASE: string | undefined = undefined;

// Each service's image: its Dockerfile, built with the shop's folder as context (lib/ and
// node_modules/ are shared).
const image = (service: string) => ({
  context: '../..',
  dockerfile: `services/${service}/Dockerfile`,
  ...(BASE !== undefined ? { buildArgs: { BASE } } : {}),
});

export default defineApp({
  name: 'shop',
  services: {
    // The only service with an ingress; the others are reached through
    // their service URLs (${services.<name>.url}).
    gateway: {
      path: 'services/gateway',
      start: 'node server.js',
      image: image('gateway'),
      runtime,
      health,
      ingress: { pathPrefix: '/' },
      scaling: { min: 2, max: 4, targetCpuPercent: 60 },
      env: {
        CATALOG_URL: '${services.catalog.url}',
        ORDERS_URL: '${services.orders.url}',
      },
    },
    catalog: {
      path: 'services/catalog',
      start: 'node server.js',
      image: image('catalog'),
      runtime,
      // A whole vCPU: until it gets its index (`slipway demo fix`), the reviews query scans a
      // table per request, and a quarter of a CPU (the default, as on Fargate) makes its health
      // checks time out under the demo's shoppers once it runs as a container with that limit.
      cpu: 1024,
      memory: 2048,
      health,
      scaling: { min: 1, max: 3, targetCpuPercent: 70 },
    },
    orders: {
      path: 'services/orders',
      start: 'node server.js',
      image: image('orders'),
      runtime,
      health,
      scaling: { min: 1, max: 3, targetCpuPercent: 70 },
      env: {
        CATALOG_URL: '${services.catalog.url}',
        PAYMENTS_URL: '${services.payments.url}',
      },
    },
    payments: {
      path: 'services/payments',
      start: 'node server.js',
      image: image('payments'),
      runtime,
      health,
      scaling: { min: 1, max: 2, targetCpuPercent: 70 },
      env: { PAYMENTS_LATENCY_MS: '20' },
    },
  },
  environments: {
    staging: { ingressPort: 8081, strategy: 'CodeDeployDefault.AllAtOnce' },
    production: {
      ingressPort: 8080,
      strategy: canary({ steps: [5, 25, 50, 100], interval: '30s' }),
      rollbackOn: ['gateway-5xx', 'gateway-p99'],
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
      ...(runtime === 'container' ? [{ name: 'Images', actions: [{ type: 'image' as const, name: 'images' }] }] : []),
      { name: 'Staging', actions: [{ type: 'deploy', environment: 'staging' }] },
      { name: 'Approve', actions: [{ type: 'approval', timeout: '1h' }] },
      { name: 'Production', actions: [{ type: 'deploy', environment: 'production' }] },
    ],
  },
  alarms: {
    // Trips when payments starts failing (see FAILURE_RATE in services/payments/app.js).
    'gateway-5xx': {
      description: 'The shop answers with server errors (checkouts failing?)',
      runbook: 'runbooks/gateway-5xx.md',
      metric: 'HTTPCode_Target_5XX_Count',
      service: 'gateway',
      stat: 'Sum',
      period: '10s',
      threshold: 5,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    },
    // TargetResponseTime is in seconds, as in CloudWatch.
    'gateway-p99': {
      description: 'The slowest 1% of shop requests take over half a second',
      metric: 'TargetResponseTime',
      service: 'gateway',
      stat: 'p99',
      period: '10s',
      threshold: 0.5,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    },
  },
  telemetry: {
    // Real-user monitoring: the gateway's page sends its page loads, web vitals and fetches
    // (services/gateway/browser/rum.js) as service "shop-web"; only the ingresses' pages may.
    rum: {
      origins: ['http://127.0.0.1:8080', 'http://localhost:8080', 'http://127.0.0.1:8081', 'http://localhost:8081'],
      serviceName: 'shop-web',
    },
  },
  flags: {
    // Read by orders at every checkout (services/orders/app.js): 10 % of shoppers take the new
    // checkout in production, everyone in staging.
    newCheckout: {
      default: false,
      rules: [{ percentage: 10, value: true }],
      environments: { staging: { rules: [{ value: true }] } },
    },
  },
  experiments: {
    // Does the new checkout complete more of the checkouts it starts? (It tries a charge again
    // when the card processor fails; the classic one does not.) Orders records both events
    // (lib/events.js) in the request that evaluates newCheckout, so each is attributed to the
    // variant that request was served.
    'new-checkout': {
      description: 'The new checkout converts more started checkouts into orders',
      flag: 'newCheckout',
      control: false,
      primary: {
        kind: 'conversion',
        exposure: { span: 'checkout.started', service: 'orders' },
        conversion: { span: 'checkout.completed', service: 'orders' },
      },
      guardrails: {
        errors: { kind: 'errorRate', maxPercent: 5 },
        latency: { kind: 'latency', percentile: 99, max: '1s' },
      },
      minSamplePerVariant: 200,
      environments: ['production'],
    },
  },
});
