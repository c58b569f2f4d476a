import { afterEach, describe, expect, it } from 'vitest';
import { createTelemetry } from '../../src/telemetry/index.js';
import { gaugePoint } from '../support/metric-points.js';
import { slipway } from '../support/cli.js';
import { TEST_TOKEN, testServer } from '../support/server.js';
import { tempDir } from '../support/temp-dir.js';

const MINUTE = 60_000;

const gauge = gaugePoint;

describe('slipway metrics with a metric math expression', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('evaluates the expression over the --metric ids through the API, and names an undefined id', async () => {
    // GIVEN gateway's errors and requests in the last three whole minutes: 2 %, 5 %, 10 %
    const dir = tempDir('slipway-metrics-cli-');
    cleanups.push(dir.cleanup);
    const telemetry = createTelemetry({ dataDir: dir.path, otlpPort: null, xrayPort: null, allowUnauthenticated: true });
    await telemetry.start();
    cleanups.push(() => telemetry.shutdown());
    const m0 = Math.floor(Date.now() / MINUTE) * MINUTE - 3 * MINUTE;
    telemetry.ingestMetricPoints([
      gauge('errors', m0 + 1000, 2), gauge('requests', m0 + 1000, 100),
      gauge('errors', m0 + MINUTE + 1000, 5), gauge('requests', m0 + MINUTE + 1000, 100),
      gauge('errors', m0 + 2 * MINUTE + 1000, 20), gauge('requests', m0 + 2 * MINUTE + 1000, 200),
    ]);
    await telemetry.forceFlush();
    const server = await testServer({ routes: [telemetry.routes] });
    cleanups.push(server.close);
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(server.app.server.address() as { port: number }).port}`;
    const run = (args: string[]) => slipway(['metrics', ...args, '--url', url], { env: { SLIPWAY_TOKEN: TEST_TOKEN } });

    // WHEN the error rate is asked for as an expression (the per-metric :stat overrides --stat)
    const cli = await run(['errors / requests * 100', '--metric', 'errors=errors', '--metric', 'requests=requests:Sum', '--stat', 'Sum', '--dim', 'service=gateway', '--period', '1m', '--since', '10m', '--json']);
    // THEN it prints the expression's values per minute
    expect(cli.stderr).toBe('');
    const answer = JSON.parse(cli.stdout) as { expression: string; timestamps: number[]; values: number[] };
    expect(answer.expression).toBe('errors / requests * 100');
    expect(answer.timestamps.slice(-3)).toEqual([m0, m0 + MINUTE, m0 + 2 * MINUTE]);
    expect(answer.values.slice(-3)).toEqual([2, 5, 10]);

    // WHEN the table is asked for THEN it has the expression as its column
    const text = await run(['errors / requests * 100', '--metric', 'errors=errors', '--metric', 'requests=requests', '--stat', 'Sum', '--since', '10m']);
    expect(text.stdout).toContain('errors / requests * 100');
    expect(text.stdout).toContain(`${new Date(m0 + 2 * MINUTE).toISOString()}`);

    // WHEN the expression names an id no --metric defines THEN one clear line and exit 1
    const bad = await run(['errors / total', '--metric', 'errors=errors']);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toContain('the expression refers to "total", which no --metric defines (ids: errors)');
  });
});
