import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validDefinition } from '../../../test/fixtures/configs/valid-definition.js';
import { auth, testServer } from '../../../test/support/server.js';
import { tempDir } from '../../../test/support/temp-dir.js';
import { resolveApp, type DashboardsResponseDto, type MetricWidgetDto } from '../../shared/index.js';
import { createTelemetry, type Telemetry } from '../../telemetry/index.js';
import { dashboardRoutes, dashboardsOf } from './dashboards.js';

describe('GET /api/v1/dashboards', () => {
  const definition = validDefinition();
  definition.dashboards = {
    overview: {
      widgets: [
        { type: 'metric', metric: 'HealthyHostCount', service: 'gateway', environment: 'production', stat: 'Maximum', period: '10s' },
        { type: 'alarms', title: 'Gateway', alarms: ['gateway-5xx', 'gateway-bad'] },
        { type: 'logs', query: 'fields @message | limit 5' },
      ],
    },
    notes: { widgets: [{ type: 'text', title: 'Runbook', markdown: '# On call\nRoll back first.' }, { type: 'metric', metric: 'RequestCount' }] },
  };
  definition.alarms!['gateway-5xx']!.description = 'gateway answers 5xx';
  const app = resolveApp(definition);
  let server: Awaited<ReturnType<typeof testServer>>;
  let telemetry: Telemetry;
  let tmp: { path: string; cleanup: () => void };

  beforeAll(async () => {
    tmp = tempDir();
    telemetry = createTelemetry({ dataDir: tmp.path, otlpPort: null, xrayPort: null });
    await telemetry.start();
    server = await testServer({ routes: [dashboardRoutes(app), telemetry.routes] });
  });
  afterAll(async () => {
    await server?.close();
    await telemetry?.shutdown();
    tmp?.cleanup();
  });

  it('answers every declared dashboard with its widgets resolved against the model, in order', async () => {
    // GIVEN an app with two dashboards WHEN they are read
    const res = await server.app.inject({ method: 'GET', url: '/api/v1/dashboards', headers: auth });
    // THEN each widget has its title, its query fields and what it refers to
    expect(res.statusCode).toBe(200);
    expect(res.json<DashboardsResponseDto>()).toEqual({
      dashboards: [
        {
          name: 'overview',
          widgets: [
            { type: 'metric', title: 'HealthyHostCount', metric: 'HealthyHostCount', stat: 'Maximum', periodMs: 10_000, dimensions: { environment: 'production', service: 'gateway' } },
            { type: 'alarms', title: 'Gateway', alarms: [{ name: 'gateway-5xx', kind: 'Metric', description: 'gateway answers 5xx' }, { name: 'gateway-bad', kind: 'Composite', description: null }] },
            { type: 'logs', title: 'Logs', query: 'fields @message | limit 5' },
          ],
        },
        { name: 'notes', widgets: [{ type: 'text', title: 'Runbook', markdown: '# On call\nRoll back first.' }, { type: 'metric', title: 'RequestCount', metric: 'RequestCount', stat: 'Average', periodMs: 60_000, dimensions: {} }] },
      ],
    });
  });

  it('needs a session or the token', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/api/v1/dashboards' });
    expect([res.statusCode, res.json<{ error: { code: string } }>().error.code]).toEqual([401, 'SLW_ERR_API_UNAUTHORIZED']);
  });

  it("gives a metric widget what the metrics API needs to return the widget's series", async () => {
    // GIVEN router points for the gateway in production and in staging
    const now = Date.now();
    const point = (environment: string, value: number) => ({ name: 'HealthyHostCount', unit: '{host}', description: '', kind: 'Gauge' as const, service: 'slipway-router', resource: {}, attributes: { environment, service: 'gateway' }, timeMs: now - 5_000, value });
    telemetry.ingestMetricPoints([point('production', 2), point('staging', 7)]);
    await telemetry.forceFlush();
    // WHEN the dashboard's metric widget is queried as the view queries it
    const widget = dashboardsOf(app)[0]!.widgets[0] as MetricWidgetDto;
    const params = new URLSearchParams({ name: widget.metric, stat: widget.stat, period: `${widget.periodMs}ms`, since: '1h' });
    for (const [k, v] of Object.entries(widget.dimensions)) params.set(`dim.${k}`, v);
    const res = await server.app.inject({ method: 'GET', url: `/api/v1/metrics/query?${params}`, headers: auth });
    // THEN it gets the production series only
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ values: number[] }>().values).toEqual([2]);
  });

  it('has no dashboards without an app', () => {
    expect(dashboardsOf(undefined)).toEqual([]);
  });
});
