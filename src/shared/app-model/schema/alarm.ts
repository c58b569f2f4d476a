import { z } from 'zod';
import { tryParseAlarmRule } from '../parse-alarm-rule.js';
import { metricStatsSchema } from './metric-math.js';
import { count, dispatch, durationSchema, isRecord, strict, uniqueStrings } from './primitives.js';

/** CloudWatch comparison operators of metric alarms. */
export const METRIC_COMPARISONS = ['GreaterThanThreshold', 'GreaterThanOrEqualToThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'] as const;
/** CloudWatch comparison operators of anomaly detection alarms. */
export const ANOMALY_COMPARISONS = ['LessThanLowerOrGreaterThanUpperThreshold', 'GreaterThanUpperThreshold', 'LessThanLowerThreshold'] as const;
/** How periods without data count, as CloudWatch's `TreatMissingData`. */
export const TREAT_MISSING_DATA = ['missing', 'notBreaching', 'breaching', 'ignore'] as const;

import { statSchema } from './alarm-stat.js';

export { statSchema };

const metricFields = {
  /** Metric name, e.g. `HTTPCode_Target_5XX_Count`, `TargetResponseTime`. */
  metric: z.string().min(1),
  /** Only this service's datapoints (a name in `services`). @default all services */
  service: z.string().optional(),
  /** Only this environment's datapoints (a name in `environments`). @default all environments */
  environment: z.string().optional(),
  /** Statistic over each period. @default "Average" */
  stat: statSchema.optional(),
  /** Length of one evaluated period. @default "1m" */
  period: durationSchema.optional(),
  /** Number of most recent periods evaluated (N of "M out of N"). @default 1 */
  evaluationPeriods: count(1).optional(),
  /** Breaching periods among them that trigger ALARM (M of "M out of N"). @default evaluationPeriods */
  datapointsToAlarm: count(1).optional(),
  /** How periods without data count. @default "missing" */
  treatMissingData: z.enum(TREAT_MISSING_DATA).optional(),
};
/**
 * A runbook: an `http(s)` URL, or the path of a Markdown file in the repository, relative to the
 * config file (no `..`, not absolute). That the file exists is checked when the config is loaded.
 */
export const runbookSchema = z.string().check((ctx) => {
  const problem = runbookProblem(ctx.value);
  if (problem !== undefined) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
});

/** Why a runbook reference is not one, or undefined when it is. */
export function runbookProblem(ref: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) {
    let url: URL;
    try {
      url = new URL(ref);
    } catch {
      return `expected an http(s) URL or a Markdown file in the repository, got ${JSON.stringify(ref)}`;
    }
    return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : `a runbook URL must be http or https, got ${JSON.stringify(url.protocol)}`;
  }
  if (ref.startsWith('/') || ref.startsWith('\\')) return `a runbook file is a path relative to the config file, got the absolute ${JSON.stringify(ref)}`;
  if (ref.split(/[\\/]/).includes('..')) return `a runbook file must be inside the repository, got ${JSON.stringify(ref)}`;
  if (!/\.(md|markdown)$/i.test(ref)) return `a runbook file is Markdown (.md), got ${JSON.stringify(ref)}`;
  return undefined;
}

/** Whether a (valid) runbook reference is a URL rather than a file in the repository. */
export function isRunbookUrl(ref: string): boolean {
  return /^https?:/i.test(ref);
}

const common = {
  /** What the alarm means, shown in notifications. */
  description: z.string().optional(),
  /**
   * What to do when it fires: an `http(s)` URL or a Markdown file relative to the config file
   * (e.g. `runbooks/checkout-errors.md`). Shown in notifications, on incidents and by
   * `slipway alarms show`.
   */
  runbook: runbookSchema.optional(),
  /** Topics (names in `notifications`) told of every state change. @default [] */
  notify: uniqueStrings(z.string(), 'topic').optional(),
};

/**
 * One step of a scale action: while the alarm is in ALARM and `metric - threshold` lies in
 * [`lowerBound`, `upperBound`), the task count changes by `change` (`2`, `-1`, `'+50%'`) or becomes
 * `exactTasks` (Application Auto Scaling's `StepAdjustment`).
 */
export const stepAdjustmentSchema = strict({
  /** Lower bound of `metric - threshold` (inclusive above the threshold). @default minus infinity */
  lowerBound: z.number().optional(),
  /** Upper bound of `metric - threshold` (exclusive above the threshold). @default infinity */
  upperBound: z.number().optional(),
  /** Tasks to add (`2`) or remove (`-1`), or a percentage of the current count (`'+50%'`, `'-25%'`). */
  change: z.union([z.number().int(), z.string().regex(/^[+-]?\d+(?:\.\d+)?%$/, { error: (i) => `expected a whole number of tasks or a percentage such as '+50%', got ${JSON.stringify(i.input)}` })]).optional(),
  /** The exact task count to set instead of a change. */
  exactTasks: count(0).optional(),
});

/**
 * An alarm action that scales a service (Application Auto Scaling step scaling): each evaluation in
 * ALARM applies the step the breach falls in, within the service's min and max, at most once per `cooldown`.
 */
export const scaleActionSchema = strict({
  type: z.literal('scale'),
  /** The service scaled (a name in `services`). */
  service: z.string(),
  /** Only in this environment. @default the alarm's environment, or every environment the alarm watches */
  environment: z.string().optional(),
  /** The steps, contiguous and not overlapping; all of them changes, percentages or exact counts. */
  adjustments: z.array(stepAdjustmentSchema).min(1, { error: 'expected at least one adjustment' }),
  /** Time after a scaling activity of this action before it scales again. @default "5m" */
  cooldown: durationSchema.optional(),
  /** Fewest tasks a percentage change adds or removes. @default 1 */
  minAdjustmentMagnitude: count(1).optional(),
});

/** An alarm on a metric crossing a static threshold: one `metric`, or `metrics` and an `expression` over them. */
export const metricAlarmSchema = strict({
  ...metricFields,
  /** Metric name, e.g. `HTTPCode_Target_5XX_Count`; or give `metrics` and `expression`. */
  metric: z.string().min(1).optional(),
  /** Metrics the `expression` refers to, by id; each inherits the alarm's `service` and `environment`. */
  metrics: metricStatsSchema.optional(),
  /** Metric math over `metrics`, compared with the threshold, e.g. `errors / requests * 100`. */
  expression: z.string().min(1).optional(),
  /** What else happens while the alarm is in ALARM. @default [] */
  actions: z.array(scaleActionSchema).optional(),
  ...common,
  /** The value compared with the statistic. */
  threshold: z.number(),
  /** How the statistic is compared with the threshold. @default "GreaterThanThreshold" */
  comparison: z.enum(METRIC_COMPARISONS).optional(),
});

/** An alarm on a metric leaving its expected band (anomaly detection). */
export const anomalyAlarmSchema = strict({
  ...metricFields,
  ...common,
  /** Width of the band, in standard deviations. */
  band: z.number().positive(),
  /** Which side of the band breaches. @default "LessThanLowerOrGreaterThanUpperThreshold" */
  comparison: z.enum(ANOMALY_COMPARISONS).optional(),
});

/** An alarm combining other alarms' states, e.g. `ALARM(gateway-5xx) AND NOT OK(db-up)`. */
export const compositeAlarmSchema = strict({
  ...common,
  /** The rule, in CloudWatch's composite alarm syntax. */
  rule: z.string().check((ctx) => {
    const parsed = tryParseAlarmRule(ctx.value);
    if (!parsed.ok) ctx.issues.push({ code: 'custom', message: `invalid rule: ${parsed.message}`, input: ctx.value });
  }),
});

/** An alarm: composite when it has a `rule`, anomaly when it has a `band`, otherwise metric. */
export const alarmSchema = dispatch<typeof metricAlarmSchema | typeof anomalyAlarmSchema | typeof compositeAlarmSchema>((input) => {
  if (!isRecord(input)) return `expected an alarm such as { metric, threshold } or { rule }, got ${JSON.stringify(input)}`;
  if ('rule' in input) return compositeAlarmSchema;
  if ('band' in input) return anomalyAlarmSchema;
  return metricAlarmSchema;
});

/** An alarm as written in an app definition. */
export type AlarmDefinition = z.input<typeof alarmSchema>;
