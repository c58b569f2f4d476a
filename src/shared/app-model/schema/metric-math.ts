import { z } from 'zod';
import { statSchema } from './alarm-stat.js';
import { strict } from './primitives.js';

/** Metric ids of metric math, as CloudWatch takes them: a lowercase letter, then letters, digits or `_`. */
export const METRIC_ID = /^[a-z][A-Za-z0-9_]*$/;

/** One metric of a metric math expression (CloudWatch's `MetricStat`), read with the given statistic. */
export const metricStatSchema = strict({
  /** Metric name, e.g. `RequestCount`, `queue.depth`. */
  metric: z.string().min(1),
  /** Only this service's datapoints (a name in `services`). @default all services (for a scaling target: the scaled service) */
  service: z.string().optional(),
  /** Only this environment's datapoints (router metrics carry the environment). @default every environment */
  environment: z.string().optional(),
  /** Other dimensions the series must have, e.g. `{ queue: 'orders' }`. @default {} */
  dimensions: z.record(z.string(), z.string()).optional(),
  /** Statistic over each period. @default "Average" */
  stat: statSchema.optional(),
});

/** The metrics a math expression refers to, by id (`{ m1: {...}, m2: {...} }`). */
export const metricStatsSchema = z.record(z.string().regex(METRIC_ID, { error: (i) => `a metric id starts with a lowercase letter and holds letters, digits or _, got ${JSON.stringify(i.input)}` }), metricStatSchema);

/** A metric as written inside a metric math definition. */
export type MetricStatDefinition = z.input<typeof metricStatSchema>;
