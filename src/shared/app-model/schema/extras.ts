import { z } from 'zod';
import { count, dispatch, durationSchema, isRecord, strict } from './primitives.js';
import { statSchema } from './alarm.js';
import { quoteList } from '../names.js';

/** Lifecycle of the artifact store. */
export const artifactsSchema = strict({
  /** Artifacts kept per pipeline beyond the tagged and deployed ones. @default 10 */
  keepLast: count(1).optional(),
  /** Untagged artifacts older than this are deleted. @default "7d" */
  expireUntaggedAfter: durationSchema.optional(),
});

const title = {
  /** Heading of the widget. @default derived from its content */
  title: z.string().optional(),
};
/** A time series graph of a metric. */
export const metricWidgetSchema = strict({ type: z.literal('metric'), ...title,
  /** Metric name. */
  metric: z.string().min(1),
  /** Only this service (a name in `services`). */
  service: z.string().optional(),
  /** Only this environment (a name in `environments`). */
  environment: z.string().optional(),
  /** Statistic. @default "Average" */
  stat: statSchema.optional(),
  /** Period of each point. @default "1m" */
  period: durationSchema.optional(),
});
/** The result of a Logs Insights query. */
export const logsWidgetSchema = strict({ type: z.literal('logs'), ...title,
  /** The query, e.g. `fields @timestamp, @message | sort @timestamp desc | limit 20`. */
  query: z.string().min(1),
});
/** The states of some alarms. */
export const alarmsWidgetSchema = strict({ type: z.literal('alarms'), ...title,
  /** Alarms (names in `alarms`). */
  alarms: z.array(z.string()).min(1),
});
/** Markdown text. */
export const textWidgetSchema = strict({ type: z.literal('text'), ...title,
  /** The text, in Markdown. */
  markdown: z.string(),
});

const WIDGET_TYPES = ['metric', 'logs', 'alarms', 'text'] as const;
const widgetSchemas = { metric: metricWidgetSchema, logs: logsWidgetSchema, alarms: alarmsWidgetSchema, text: textWidgetSchema };

/** One widget of a dashboard, chosen by `type`. */
export const widgetSchema = dispatch<(typeof widgetSchemas)[keyof typeof widgetSchemas]>((input) => {
  const type = isRecord(input) ? input.type : undefined;
  if (typeof type === 'string' && Object.hasOwn(widgetSchemas, type)) return widgetSchemas[type as keyof typeof widgetSchemas];
  return `expected a widget type of ${quoteList(WIDGET_TYPES)}, got ${JSON.stringify(type) ?? 'none'}`;
});

/** A dashboard: widgets laid out in order. */
export const dashboardSchema = strict({
  /** The widgets, at least one. */
  widgets: z.array(widgetSchema).min(1),
});
