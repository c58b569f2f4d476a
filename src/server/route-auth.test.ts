import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec } from '../core/index.js';
import { SHOP_DIR } from '../../test/support/shop.js';
import { auth, testServer } from '../../test/support/server.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { startControlPlane, type ControlPlane } from './control-plane.js';
import { routeAuthTable } from './route-auth-table.js';

const ROUTE = (e: { method: string; url: string }) => `${e.method} ${e.url}`;

/** An app that makes every context register its routes: services, an environment, an alarm, a pipeline in the root of a git repository. */
async function writeFullApp(dir: string): Promise<string> {
  const service = (name: string) => ({ path: path.join(SHOP_DIR, 'services', name), start: 'node server.js', health: { path: '/healthz' } });
  const config = {
    name: 'routes',
    services: { gateway: { ...service('gateway'), ingress: { pathPrefix: '/' } }, catalog: service('catalog') },
    environments: { production: { ingressPort: 0 } },
    alarms: { 'gateway-5xx': { metric: 'HTTPCode_Target_5XX_Count', service: 'gateway', stat: 'Sum', period: '10s', threshold: 5, evaluationPeriods: 1 } },
    pipeline: { trigger: { branches: ['main'] }, stages: [{ name: 'Build', actions: [{ type: 'build', buildspec: 'buildspec.yml' }] }] },
  };
  const file = path.join(dir, 'slipway.config.json');
  fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'buildspec.yml'), 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo ok\n');
  for (const args of [['init', '-q', '-b', 'main'], ['add', '.'], ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'init']]) {
    const r = await exec('git', args, { cwd: dir, timeoutMs: 10_000 });
    if (r.code !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  }
  return file;
}

describe('the route table of `slipway up`', () => {
  let cp: ControlPlane;
  let tmp: { path: string; cleanup: () => void };

  beforeAll(async () => {
    tmp = tempDir();
    const appDir = path.join(tmp.path, 'app');
    fs.mkdirSync(appDir);
    const configFile = await writeFullApp(appDir);
    // GIVEN the control plane composed as `slipway up` composes it, with every context on
    cp = await startControlPlane({ dataDir: path.join(tmp.path, 'data'), port: 0, configFile, bootstrap: false, otlpPort: null, xrayPort: null, pollIntervalMs: 0, token: 'route-table-token-0123456789' });
  }, 60_000);
  afterAll(async () => {
    await cp?.close({ stopTasks: true });
    tmp?.cleanup();
  });

  it('has every context of the composition registered (so the checks below see all routes)', () => {
    expect(cp.delivery?.pipelines, cp.delivery?.pipelinesOff).toBeDefined();
    const urls = new Set(routeAuthTable(cp.app).map((e) => e.url));
    for (const url of ['/api/v1/status', '/api/v1/events/stream', '/api/v1/environments', '/api/v1/deployments', '/api/v1/pipeline/runs', '/api/v1/webhooks/github', '/api/v1/artifacts', '/api/v1/alarms', '/api/v1/incidents', '/api/v1/incidents/:id/action-items/:itemId', '/api/v1/dora', '/api/v1/metrics/query', '/api/v1/logs/query', '/api/v1/traces', '/api/v1/service-map', '/api/v1/dashboards', '/api/v1/flags', '/api/v1/flags/:env/:key', '/ofrep/v1/evaluate/flags/:key', '/*']) {
      expect(urls, url).toContain(url);
    }
  });

  it('has no route without a declared authentication', () => {
    // WHEN every registered route is listed with its declaration
    const undeclared = routeAuthTable(cp.app).filter((e) => e.auth === undefined).map(ROUTE);
    // THEN none is missing one (each offender is listed as "METHOD url")
    expect(undeclared).toEqual([]);
  });

  it('opens only what carries no data, takes the token alone only to mint logins, the webhook only by signature, and OFREP and the flag snapshot only with a flag token', () => {
    const by = (a: string) => routeAuthTable(cp.app).filter((e) => e.auth === a).map(ROUTE).sort();
    expect(by('open')).toEqual(['GET /*', 'GET /api/v1/health', 'HEAD /*', 'HEAD /api/v1/health', 'POST /api/v1/session']);
    expect(by('token')).toEqual(['POST /api/v1/session/links']);
    expect(by('webhook')).toEqual(['GET /flags/v1/snapshot', 'HEAD /flags/v1/snapshot', 'POST /api/v1/webhooks/github', 'POST /flags/v1/impressions', 'POST /ofrep/v1/evaluate/flags', 'POST /ofrep/v1/evaluate/flags/:key']);
  });

  it('refuses an anonymous caller on every route that is not open, whatever the method', async () => {
    // GIVEN each registered route with a concrete path
    const guarded = routeAuthTable(cp.app).filter((e) => e.auth !== 'open' && e.auth !== 'webhook');
    const failures: string[] = [];
    for (const e of guarded) {
      const url = e.url.replace(/:[a-zA-Z]+/g, 'x').replace('*', 'x');
      // WHEN it is called without a credential
      const res = await cp.app.inject({ method: e.method as 'GET', url });
      // THEN it answers 401 Unauthorized and nothing else (a HEAD answer has no body)
      const body = e.method === 'HEAD' ? '' : res.body;
      const expected = e.method === 'HEAD' ? '' : JSON.stringify({ error: { code: 'SLW_ERR_API_UNAUTHORIZED', message: 'Unauthorized' } });
      if (res.statusCode !== 401 || body !== expected) failures.push(`${ROUTE(e)} answered ${res.statusCode} ${body}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('a route that declares no authentication', () => {
  it('is listed as undeclared and is closed: 401 without the token, 403 with a dashboard session, 200 with the token', async () => {
    // GIVEN a context that forgot its declaration
    const server = await testServer({ dashboardDir: null, routes: [(app) => void app.post('/api/v1/forgotten', async () => ({ secret: 42 }))] });
    try {
      expect(routeAuthTable(server.app).filter((e) => e.auth === undefined).map(ROUTE)).toEqual(['POST /api/v1/forgotten']);
      const link = (await server.app.inject({ method: 'POST', url: '/api/v1/session/links', headers: auth, payload: {} })).json<{ url: string }>();
      const login = await server.app.inject({ method: 'POST', url: '/api/v1/session', payload: { token: new URL(link.url).searchParams.get('token') } });
      const cookie = String(login.headers['set-cookie']).split(';')[0]!;
      // WHEN it is called anonymously, with the cookie (and CSRF header), and with the token
      const anonymous = await server.app.inject({ method: 'POST', url: '/api/v1/forgotten' });
      const session = await server.app.inject({ method: 'POST', url: '/api/v1/forgotten', headers: { cookie, 'x-slipway-csrf': '1' } });
      const token = await server.app.inject({ method: 'POST', url: '/api/v1/forgotten', headers: auth });
      // THEN it behaves as a token route
      expect([anonymous.statusCode, anonymous.json().error.code]).toEqual([401, 'SLW_ERR_API_UNAUTHORIZED']);
      expect([session.statusCode, session.json().error.code]).toEqual([403, 'SLW_ERR_API_TOKEN_REQUIRED']);
      expect([token.statusCode, token.json()]).toEqual([200, { secret: 42 }]);
    } finally {
      await server.close();
    }
  });

  it('is refused at registration when it declares a word outside the vocabulary', async () => {
    // GIVEN a declaration with a typo WHEN the server is built THEN it fails, naming the route and the allowed words
    const typo = { auth: 'sesion' } as unknown as { auth: 'session' };
    await expect(testServer({ routes: [(app) => void app.get('/api/v1/typo', { config: typo }, async () => ({}))] })).rejects.toThrow(
      'route GET /api/v1/typo: config.auth must be one of open, token, session, webhook, got "sesion"',
    );
  });
});
