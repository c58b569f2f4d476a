// What `GET /api/v1/dashboards` answers: the app model's `dashboards`, each widget resolved against the
// model so the dashboard can draw it with the telemetry and alarms APIs. Types only: the view imports them.

/** A metric widget: one time series from `GET /api/v1/metrics/query`. */
export interface MetricWidgetDto {
  readonly type: 'metric';
  /** Heading (the metric name when the definition gives none). */
  readonly title: string;
  /** Metric name, e.g. `RequestCount`. */
  readonly metric: string;
  /** Statistic, e.g. `Sum`, `p99`. */
  readonly stat: string;
  /** Period of each point, ms. */
  readonly periodMs: number;
  /** Dimensions the series is narrowed to (`service`, `environment`), as `dim.<key>` query parameters take them. */
  readonly dimensions: Readonly<Record<string, string>>;
}

/** A logs widget: the result of a Logs Insights query from `POST /api/v1/logs/query`. */
export interface LogsWidgetDto {
  readonly type: 'logs';
  readonly title: string;
  /** The Logs Insights query. */
  readonly query: string;
}

/** One alarm an alarms widget shows, as the app model declares it. */
export interface DashboardAlarmDto {
  readonly name: string;
  readonly kind: 'Metric' | 'Anomaly' | 'Composite';
  /** The alarm's description, or null. */
  readonly description: string | null;
}

/** An alarms widget: the current states (from `GET /api/v1/alarms`) of the alarms it names. */
export interface AlarmsWidgetDto {
  readonly type: 'alarms';
  readonly title: string;
  readonly alarms: readonly DashboardAlarmDto[];
}

/** A text widget: Markdown, shown as text. */
export interface TextWidgetDto {
  readonly type: 'text';
  /** Heading; empty when the definition gives none. */
  readonly title: string;
  readonly markdown: string;
}

/** One widget of a declared dashboard; the kinds are those of the app model's `widgetSchema`. */
export type DashboardWidgetDto = MetricWidgetDto | LogsWidgetDto | AlarmsWidgetDto | TextWidgetDto;

/** One dashboard declared in the app model's `dashboards`. */
export interface DashboardDto {
  /** Its key in `dashboards`. */
  readonly name: string;
  /** The widgets, in the order declared. */
  readonly widgets: readonly DashboardWidgetDto[];
}

/** The body of `GET /api/v1/dashboards`: every declared dashboard, in declaration order. */
export interface DashboardsResponseDto {
  readonly dashboards: readonly DashboardDto[];
}
