// Answers, in the agreed API contracts, for the routes other contexts are still
// building: the browser test serves them with page.route() to check each view
// renders them (and to take screenshots worth looking at).
import type { Page, Route } from 'playwright-core';

const MIN = 60_000;

function json(route: Route, body: unknown, status = 200): Promise<void> {
  return route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
}

/** What the fake routes saw: the state-changing requests, with their headers. */
export interface ContractLog {
  readonly posts: { url: string; headers: Record<string, string>; body: unknown }[];
}

/** Serves every pending route from fixtures on `page`; `now` anchors the times. */
export async function serveContracts(page: Page, now = Date.now()): Promise<ContractLog> {
  const log: ContractLog = { posts: [] };
  const t0 = now - 9 * MIN;
  const action = (name: string, type: string, status: string, startMin: number, durMs: number | undefined, extra: Record<string, unknown> = {}) => ({
    name,
    type,
    status,
    runOrder: 1,
    startedAtMs: t0 + startMin * MIN,
    ...(durMs === undefined ? {} : { finishedAtMs: t0 + startMin * MIN + durMs, durationMs: durMs }),
    ...extra,
  });
  const run = {
    id: 'run-7',
    status: 'InProgress',
    commit: '3f9c2a71be04d2',
    branch: 'main',
    message: 'checkout: retry payment once on 503',
    startedAtMs: t0,
    stages: [
      { name: 'Source', status: 'Succeeded', durationMs: 2100, actions: [action('checkout', 'source', 'Succeeded', 0, 2100)] },
      { name: 'Build', status: 'Succeeded', durationMs: 48_000, actions: [action('build', 'build', 'Succeeded', 0.1, 48_000)] },
      {
        name: 'Test',
        status: 'Succeeded',
        durationMs: 61_000,
        actions: [action('unit', 'build', 'Succeeded', 1, 61_000, { tests: { total: 642, passed: 640, failed: 0, skipped: 2 } }), action('secrets', 'scan', 'Succeeded', 1, 4200)],
      },
      { name: 'Staging', status: 'Succeeded', durationMs: 72_000, actions: [action('deploy-staging', 'deploy', 'Succeeded', 2.2, 72_000)] },
      { name: 'Approve', status: 'InProgress', actions: [action('approve', 'approval', 'InProgress', 3.5, undefined)] },
      { name: 'Production', status: 'Pending', actions: [{ name: 'deploy-production', type: 'deploy', status: 'Pending', runOrder: 1 }] },
    ],
  };
  const history = [
    { id: 'run-7', status: 'InProgress', commit: run.commit, message: run.message, startedAtMs: t0 },
    { id: 'run-6', status: 'Succeeded', commit: 'a81d0e3c55f1aa', message: 'catalog: cache product list', startedAtMs: t0 - 95 * MIN, durationMs: 11 * MIN },
    { id: 'run-5', status: 'Failed', commit: '0c4be2d9a7e310', message: 'orders: new schema', startedAtMs: t0 - 180 * MIN, durationMs: 3 * MIN },
  ];
  const buildLog = [
    '[Container] Running phase INSTALL',
    '$ npm ci',
    'added 214 packages in 6s',
    '[Container] Running phase BUILD',
    '$ npm run build',
    '> shop@1.0.0 build',
    '> tsc -p .',
    '[Container] Phase complete: BUILD State: SUCCEEDED',
    '[Container] Uploading artifacts: 4 files, 81 KiB',
  ].map((text, i) => ({ seq: i + 1, timeMs: t0 + i * 1000, stream: 'stdout', text }));

  await page.route('**/api/v1/pipeline/runs**', (route) => {
    const url = new URL(route.request().url());
    if (route.request().method() === 'POST') {
      log.posts.push({ url: url.pathname, headers: route.request().headers(), body: route.request().postDataJSON() as unknown });
      return json(route, { ok: true });
    }
    if (url.pathname.endsWith('/logs')) return json(route, { lines: url.searchParams.get('after') ? [] : buildLog, nextAfter: buildLog.length });
    if (url.pathname === '/api/v1/pipeline/runs') return json(route, { runs: history });
    return json(route, run);
  });

  const dep = {
    id: 'd-12',
    environment: 'production',
    service: 'gateway',
    revision: '3f9c2a71be04',
    previousRevision: 'a81d0e3c55f1',
    strategy: 'Canary 10 % → 25 % → 50 % → 100 %, 1 m each',
    status: 'InProgress',
    startedAtMs: now - 4 * MIN,
    steps: [
      { name: 'Shift 10 %', weightPercent: 10, status: 'Succeeded', startedAtMs: now - 4 * MIN, finishedAtMs: now - 3 * MIN },
      { name: 'Shift 25 %', weightPercent: 25, status: 'Succeeded', startedAtMs: now - 3 * MIN, finishedAtMs: now - 2 * MIN },
      { name: 'Shift 50 %', weightPercent: 50, status: 'InProgress', startedAtMs: now - 2 * MIN },
      { name: 'Shift 100 %', weightPercent: 100, status: 'Pending' },
    ],
    hooks: [
      { name: 'BeforeAllowTraffic', status: 'Succeeded', durationMs: 1800 },
      { name: 'AfterAllowTraffic', status: 'Pending' },
    ],
    analysis: [{ name: 'gateway-5xx, gateway-p99', verdict: 'Successful', message: '0 of 3 periods breaching' }],
  };
  await page.route('**/api/v1/deployments**', (route) => {
    const url = new URL(route.request().url());
    if (route.request().method() === 'POST') {
      log.posts.push({ url: url.pathname, headers: route.request().headers(), body: route.request().postDataJSON() as unknown });
      return json(route, { ok: true });
    }
    if (url.pathname === '/api/v1/deployments') {
      return json(route, {
        deployments: [
          dep,
          { id: 'd-11', environment: 'staging', service: 'gateway', revision: '3f9c2a71be04', previousRevision: 'a81d0e3c55f1', strategy: 'AllAtOnce', status: 'Succeeded', startedAtMs: now - 8 * MIN, finishedAtMs: now - 7 * MIN },
          { id: 'd-10', environment: 'production', service: 'orders', revision: '0c4be2d9a7e3', previousRevision: '77aa01b2c3d4', strategy: 'Linear 10 % every 1 m', status: 'RolledBack', startedAtMs: now - 190 * MIN, finishedAtMs: now - 184 * MIN },
        ],
      });
    }
    return json(route, dep);
  });
  await page.route(/\/api\/v1\/events\?.*subject=deployment%2Fd-12/, (route) => {
    const type = new URL(route.request().url()).searchParams.get('type');
    const shifts = [10, 25, 50].map((w, i) => ({
      seq: 900 + i,
      time: new Date(now - (4 - i) * MIN).toISOString(),
      timeMs: now - (4 - i) * MIN,
      type: 'deployment.traffic.shifted',
      subject: 'deployment/d-12',
      data: { environment: 'production', service: 'gateway', from: i === 0 ? { a81d0e3c55f1: 100 } : undefined, to: { a81d0e3c55f1: 100 - w, '3f9c2a71be04': w } },
    }));
    return json(route, { events: type === 'deployment.traffic.shifted' ? shifts : [], nextAfter: null, lastSeq: 1000 });
  });

  const stats = (requests: number, errorRate: number, p50Ms: number, p99Ms: number) => ({ requests, errors: 0, faults: Math.round(requests * errorRate), errorRate: 0, faultRate: errorRate, p50Ms, p99Ms });
  await page.route('**/api/v1/service-map**', (route) =>
    json(route, {
      nodes: [
        { id: 'gateway', type: 'service', ...stats(5400, 0.002, 12, 85) },
        { id: 'catalog', type: 'service', ...stats(5100, 0, 3, 22) },
        { id: 'orders', type: 'service', ...stats(900, 0.031, 18, 240) },
        { id: 'payments', type: 'service', ...stats(880, 0.082, 9, 410) },
        { id: 'sqlite', type: 'database', dbSystem: 'sqlite', ...stats(6000, 0, 0.4, 6) },
      ],
      edges: [
        { source: 'gateway', target: 'catalog', ...stats(4300, 0, 3, 22) },
        { source: 'gateway', target: 'orders', ...stats(900, 0.031, 18, 240) },
        { source: 'orders', target: 'catalog', ...stats(800, 0, 3, 20) },
        { source: 'orders', target: 'payments', ...stats(880, 0.082, 9, 410) },
        { source: 'catalog', target: 'sqlite', ...stats(5100, 0, 0.4, 6) },
        { source: 'orders', target: 'sqlite', ...stats(900, 0, 0.5, 7) },
      ],
    }),
  );

  const traceId = '5b8efff798038103d269b633813fc60c';
  const span = (spanId: string, parentSpanId: string | undefined, service: string, name: string, offsetMs: number, durationMs: number, selfTimeMs: number, depth: number, extra: Record<string, unknown> = {}) => ({
    spanId,
    ...(parentSpanId ? { parentSpanId } : {}),
    service,
    name,
    kind: depth === 0 ? 'Server' : 'Client',
    startMs: now - 60_000 + offsetMs,
    offsetMs,
    durationMs,
    selfTimeMs,
    depth,
    status: 'Unset',
    attributes: { 'http.method': 'POST', 'http.route': name },
    events: [],
    critical: false,
    ...extra,
  });
  const spans = [
    span('a1', undefined, 'gateway', 'POST /api/checkout', 0, 182, 6, 0, { critical: true, attributes: { 'http.method': 'POST', 'http.route': '/api/checkout', 'http.status_code': 502 }, status: 'Error', statusMessage: 'payment failed' }),
    span('b1', 'a1', 'orders', 'POST /orders', 4, 172, 9, 1, { critical: true, status: 'Error' }),
    span('c1', 'b1', 'catalog', 'GET /products/:id', 8, 14, 4, 2),
    span('d1', 'c1', 'catalog', 'SELECT products', 10, 9, 9, 3, { kind: 'Client', attributes: { 'db.system': 'sqlite', 'db.statement': 'SELECT * FROM products WHERE id = ?' } }),
    span('e1', 'b1', 'orders', 'INSERT orders', 24, 6, 6, 2, { attributes: { 'db.system': 'sqlite', 'db.statement': 'INSERT INTO orders VALUES (?, ?, ?)' } }),
    span('f1', 'b1', 'payments', 'POST /charge', 32, 143, 143, 2, {
      critical: true,
      status: 'Error',
      statusMessage: 'card processor timed out',
      events: [{ name: 'exception', attributes: { 'exception.type': 'TimeoutError', 'exception.message': 'card processor timed out after 140 ms' } }],
    }),
  ];
  await page.route('**/api/v1/traces**', (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/api/v1/traces/slow-queries') {
      return json(route, {
        queries: [
          { statement: 'SELECT * FROM products WHERE id = ?', dbSystem: 'sqlite', count: 5120, p50Ms: 0.4, p99Ms: 6.2, maxMs: 31, totalMs: 3180, exampleTraceId: traceId },
          { statement: 'INSERT INTO orders VALUES (?, ?, ?)', dbSystem: 'sqlite', count: 880, p50Ms: 0.9, p99Ms: 7.5, maxMs: 12, totalMs: 1010, exampleTraceId: traceId },
        ],
      });
    }
    if (url.pathname === `/api/v1/traces/${traceId}`) {
      return json(route, {
        traceId,
        rootService: 'gateway',
        rootOperation: 'POST /api/checkout',
        startMs: now - 60_000,
        durationMs: 182,
        spanCount: spans.length,
        spans,
        criticalPath: ['a1', 'b1', 'f1'],
        errors: [{ spanId: 'f1', service: 'payments', name: 'POST /charge', type: 'TimeoutError', message: 'card processor timed out after 140 ms' }],
      });
    }
    const service = url.searchParams.get('service');
    const traces = [
      { traceId, rootService: 'gateway', rootOperation: 'POST /api/checkout', startMs: now - 60_000, durationMs: 182, spanCount: 6, error: true },
      { traceId: '0af7651916cd43dd8448eb211c80319c', rootService: 'gateway', rootOperation: 'GET /api/products', startMs: now - 52_000, durationMs: 24, spanCount: 3, error: false },
      { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', rootService: 'gateway', rootOperation: 'POST /api/checkout', startMs: now - 41_000, durationMs: 96, spanCount: 6, error: false },
    ];
    return json(route, { traces: service && service !== 'gateway' && service !== 'payments' ? [] : traces });
  });

  await page.route('**/api/v1/metrics/query**', (route) => {
    const url = new URL(route.request().url());
    const name = url.searchParams.get('name') ?? '';
    const stat = url.searchParams.get('stat') ?? '';
    const timestamps = Array.from({ length: 60 }, (_, i) => Math.floor(now / MIN) * MIN - (59 - i) * MIN);
    const wave = (i: number) => Math.sin(i / 6) + Math.sin(i / 2.3) * 0.4;
    const values = timestamps.map((_, i) => {
      if (name === 'RequestCount') return Math.round(900 + 160 * wave(i));
      if (name === 'HTTPCode_Target_5XX_Count') return i > 44 && i < 50 ? 14 + (i % 3) * 5 : i % 7 === 0 ? 1 : 0;
      if (name === 'HTTPCode_Target_4XX_Count') return 3 + (i % 4);
      return stat === 'p99' ? 0.085 + 0.02 * wave(i) + (i > 44 && i < 50 ? 0.2 : 0) : 0.012 + 0.002 * wave(i);
    });
    return json(route, { timestamps, values });
  });

  await page.route('**/api/v1/logs/query', (route) => {
    const body = route.request().postDataJSON() as { query: string };
    if (/\bstast\b/.test(body.query)) {
      const col = (body.query.split('\n')[1]?.indexOf('stast') ?? 0) + 1;
      const message = `line 2, col ${col}: expected a command (fields, filter, stats, sort, limit, parse, dedup, display), got "stast"`;
      return json(route, { error: { code: 'SLW_ERR_LOGS_QUERY_SYNTAX', message, issues: [{ path: 'query', message }] } }, 400);
    }
    const rows = Array.from({ length: 40 }, (_, i) => {
      const t = now - Math.floor((i * i * 977) % 3_500_000);
      const services = ['gateway', 'orders', 'payments', 'catalog'];
      const svc = services[i % 4]!;
      return { '@timestamp': t, '@logStream': `${svc}/production/3f9c2a71be04/task-${i % 3}`, '@message': i % 9 === 0 ? `error: payment provider answered 503 (attempt ${1 + (i % 2)})` : `${svc} handled ${['GET /products', 'POST /orders', 'POST /charge', 'GET /healthz'][i % 4]} in ${3 + (i % 17)} ms` };
    }).sort((a, b) => b['@timestamp'] - a['@timestamp']);
    return json(route, { columns: ['@timestamp', '@logStream', '@message'], rows, statistics: { recordsScanned: 18_240, recordsMatched: rows.length, bytesScanned: 2_310_000 } });
  });
  return log;
}
