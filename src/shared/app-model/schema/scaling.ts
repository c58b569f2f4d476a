import { z } from 'zod';
import { metricStatsSchema } from './metric-math.js';
import { statSchema } from './alarm-stat.js';
import { count, durationSchema, percent, strict } from './primitives.js';

/**
 * A scheduled action, as Application Auto Scaling's `PutScheduledAction`: at each time of its
 * schedule the service's task range becomes `minTasks`..`maxTasks` (the bounds it gives), and
 * stays so until another scheduled action changes it.
 */
export const scheduleSchema = strict({
  /** Name of the action, unique in the service. */
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, { error: (i) => `expected a name of letters, digits, - and _, got ${JSON.stringify(i.input)}` }),
  /**
   * When: `cron(minutes hours day-of-month month day-of-week year)` (e.g. `cron(0 9 ? * MON-FRI *)`),
   * `at(2026-12-24T18:00:00)` or `rate(6 hours)`, read in `timezone`.
   */
  schedule: z.string().min(1),
  /** IANA time zone the schedule is read in, e.g. `Europe/Paris`. @default "UTC" */
  timezone: z.string().min(1).optional(),
  /** The fewest tasks from then on. @default unchanged */
  minTasks: count(0).optional(),
  /** The most tasks from then on. @default unchanged */
  maxTasks: count(1).optional(),
});

/**
 * Target tracking on any metric (`CustomizedMetricSpecification`): the task count is set so that the
 * metric stays near `target`, assuming it changes in proportion to the count (a per-task load, a
 * latency, a queue depth per task). Either one `metric`, or `metrics` and an `expression` over them.
 */
export const scalingTargetSchema = strict({
  /** Metric name, e.g. `queue.depth`. */
  metric: z.string().min(1).optional(),
  /** The service whose datapoints are read. @default the scaled service */
  service: z.string().optional(),
  /** Other dimensions the series must have. @default {} */
  dimensions: z.record(z.string(), z.string()).optional(),
  /** Statistic over each period. @default "Average" */
  stat: statSchema.optional(),
  /** Metrics the `expression` refers to, by id. */
  metrics: metricStatsSchema.optional(),
  /** Metric math over `metrics`, e.g. `backlog / FILL(workers, 1)`. */
  expression: z.string().min(1).optional(),
  /** Period the statistic is taken over; the last full period is what is tracked. @default "1m" */
  period: durationSchema.optional(),
  /** The value to keep the metric at. */
  target: z.number().positive(),
});

/** How many tasks run, and when to add or remove some. */
export const scalingSchema = strict({
  /** Fewest tasks. @default 1 */
  min: count(0).optional(),
  /** Most tasks; at least `min`. @default min */
  max: count(1).optional(),
  /** Scale to keep the average CPU near this percentage. */
  targetCpuPercent: percent(1).optional(),
  /**
   * Scale to keep requests per task per minute near this number: the requests the router sent to
   * the revision in a minute over its Healthy tasks, as ALB's `RequestCountPerTarget`.
   */
  targetRequestsPerTask: count(1).optional(),
  /** Target tracking on other metrics; with CPU and requests, the largest count wanted wins. @default [] */
  targets: z.array(scalingTargetSchema).optional(),
  /** Scheduled changes of `min`/`max`. @default [] */
  schedules: z.array(scheduleSchema).optional(),
  /** Time to wait after scaling in before scaling in again. @default "60s" */
  scaleInCooldown: durationSchema.optional(),
  /** Time to wait after scaling out before scaling out again. @default "30s" */
  scaleOutCooldown: durationSchema.optional(),
});

/** A service's scaling as written in an app definition. */
export type ScalingDefinition = z.input<typeof scalingSchema>;
