import type { FastifyInstance } from 'fastify';
import type { DashboardDto, DashboardWidgetDto, ResolvedApp, ResolvedWidget } from '../../shared/index.js';

/**
 * The app model's dashboards as the dashboard draws them (pure): each widget
 * resolved against the model — a metric widget's service and environment as
 * the metric dimensions the router publishes, an alarms widget's names as the
 * declared alarms (kind, description). Dashboards and widgets keep their
 * declared order.
 */
export function dashboardsOf(app: Pick<ResolvedApp, 'dashboards' | 'alarms'> | undefined): DashboardDto[] {
  if (app === undefined) return [];
  return Object.entries(app.dashboards).map(([name, d]) => ({ name, widgets: d.widgets.map((w) => widgetOf(w, app)) }));
}

function widgetOf(w: ResolvedWidget, app: Pick<ResolvedApp, 'alarms'>): DashboardWidgetDto {
  switch (w.type) {
    case 'metric': {
      const dimensions: Record<string, string> = {};
      if (w.environment !== undefined) dimensions.environment = w.environment;
      if (w.service !== undefined) dimensions.service = w.service;
      return { type: 'metric', title: w.title, metric: w.metric, stat: w.stat, periodMs: w.periodMs, dimensions };
    }
    case 'logs':
      return { type: 'logs', title: w.title, query: w.query };
    case 'alarms':
      // The model's reference check guarantees each name is a declared alarm.
      return { type: 'alarms', title: w.title, alarms: w.alarms.map((name) => ({ name, kind: app.alarms[name]?.kind ?? 'Metric', description: app.alarms[name]?.description ?? null })) };
    case 'text':
      return { type: 'text', title: w.title, markdown: w.markdown };
  }
}

/** `GET /api/v1/dashboards`: the declared dashboards ({@link dashboardsOf}) of the live model, read per request; none without an app. */
export function dashboardRoutes(app: Pick<ResolvedApp, 'dashboards' | 'alarms'> | undefined) {
  return (server: FastifyInstance): void => {
    server.get('/api/v1/dashboards', { config: { auth: 'session' } }, async () => ({ dashboards: dashboardsOf(app) }));
  };
}
