// The low findings of the security probe (issue 12, finding 7), each reproduced
// through the real entry point and asserted closed.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec } from '../../src/core/index.js';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import { tempDir } from '../support/temp-dir.js';

/** `{"a":{"a":...1}}` as JSON text, `levels` objects deep. */
function deepJson(levels: number): string {
  return '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
}

describe('JSON nested thousands of levels deep', () => {
  const tmp = tempDir('slipway-low-');
  let cp: ControlPlane;
  beforeAll(async () => {
    // An app in a git repository, so that every context registers its routes; nothing
    // is started (no bootstrap) and nothing polls.
    expect((await exec('git', ['init', '--quiet', '-b', 'main'], { cwd: tmp.path })).code).toBe(0);
    const configFile = path.join(tmp.path, 'slipway.config.json');
    fs.writeFileSync(configFile, JSON.stringify({
      name: 'probe',
      services: { web: { path: '.', start: 'node server.js' } },
      environments: { local: { ingressPort: 0 } },
      alarms: { 'web-5xx': { metric: 'HTTPCode_Target_5XX_Count', service: 'web', stat: 'Sum', period: '10s', threshold: 5 } },
      pipeline: { stages: [{ name: 'Approve', actions: [{ type: 'approval' }] }] },
    }));
    cp = await startControlPlane({ dataDir: path.join(tmp.path, 'data'), configFile, port: 0, otlpPort: 0, xrayPort: null, bootstrap: false, pollIntervalMs: 0 });
  }, 60_000);
  afterAll(async () => {
    await cp?.close();
    tmp.cleanup();
  });

  const post = (url: string, body: string) =>
    fetch(url, { method: 'POST', headers: { authorization: `Bearer ${cp.token}`, 'content-type': 'application/json' }, body });

  it('POST /api/v1/events with data nested 5 000 levels deep is a 400 naming the limit, not a 500 stack overflow', async () => {
    // GIVEN the running API WHEN an event is posted with data nested 5 000 levels deep
    const res = await post(`${cp.url}/api/v1/events`, `{"type":"custom.probe","subject":"probe","data":${deepJson(5000)}}`);
    // THEN it is refused as the client's mistake, with the limit and the path where it was passed
    expect(res.status).toBe(400);
    const path = `body.data${'.a'.repeat(63)}`;
    expect(await res.json()).toEqual({
      error: { code: 'SLW_ERR_API_TOO_DEEP', message: `${path}: nested deeper than 64 levels (the limit)`, issues: [{ path, message: 'nested deeper than 64 levels (the limit)' }] },
    });
    // AND nothing was appended, and the server still answers
    expect(cp.events.list({ type: 'custom.probe' })).toEqual([]);
    expect((await fetch(`${cp.url}/api/v1/health`)).status).toBe(200);
  });

  it.each([
    ['alarms', '/api/v1/alarms/web-5xx/mute'],
    ['deployments', '/api/v1/deployments'],
    ['pipelines', '/api/v1/pipeline/runs'],
    ['incidents', '/api/v1/incidents'],
    ['telemetry queries', '/api/v1/logs/query'],
  ])('every JSON route (%s) refuses a body 5 000 levels deep with the same 400', async (_area, route) => {
    // GIVEN a JSON-accepting route (it exists: a shallow bad body gets its own answer, not "no route")
    const shallow = await post(`${cp.url}${route}`, '{"unexpected":1}');
    expect((await shallow.json()) as unknown).not.toMatchObject({ error: { code: 'SLW_ERR_API_NOT_FOUND' } });
    // WHEN a body nested 5 000 levels deep is posted
    const res = await post(`${cp.url}${route}`, deepJson(5000));
    // THEN the one guard answers before the route does
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'SLW_ERR_API_TOO_DEEP', issues: [{ path: `body${'.a'.repeat(64)}` }] } });
  });
});
