// Attribution: which variant of a flag a span was served, from the telemetry it carries.
import type { ResolvedExperiment, ResolvedFlag } from '../shared/index.js';
import type { ExperimentSpan } from './model.js';

/** The span event OpenTelemetry's semantic conventions name for a flag evaluation. */
export const FLAG_EVALUATION_EVENT = 'feature_flag.evaluation';
/** The earlier semantic conventions' (and OpenFeature's tracing hook's) name of the same event. */
export const LEGACY_FLAG_EVENT = 'feature_flag';

/** What attribution needs to know of the flag: whether it has variants, and the values of its rules. */
export type AttributionFlag = Pick<ResolvedFlag, 'defaultValue' | 'variants' | 'rules'>;

/**
 * The arm a span's own attributes or events name for `flagKey`, or undefined. A flag evaluation is
 * read from a `feature_flag.evaluation` (or `feature_flag`) span event, else from the span's
 * attributes, with `feature_flag.key` naming the flag. For a flag with variants the arm is the
 * variant (`feature_flag.result.variant`, or the older `feature_flag.variant`); for one without,
 * it is the value served (`feature_flag.result.value`), else the value the named variant stands
 * for (`default` → the default, `rule-<n>` → that rule's value).
 */
export function armOfSpan(span: ExperimentSpan, flagKey: string, flag: AttributionFlag): string | undefined {
  for (const event of span.events) {
    if (event.name !== FLAG_EVALUATION_EVENT && event.name !== LEGACY_FLAG_EVENT) continue;
    const arm = armOf(event.attributes, flagKey, flag);
    if (arm !== undefined) return arm;
  }
  return armOf(span.attributes, flagKey, flag);
}

function armOf(attributes: Readonly<Record<string, unknown>>, flagKey: string, flag: AttributionFlag): string | undefined {
  if (attributes['feature_flag.key'] !== flagKey) return undefined;
  const variant = attributes['feature_flag.result.variant'] ?? attributes['feature_flag.variant'];
  if (flag.variants !== undefined) return typeof variant === 'string' ? variant : undefined;
  const value = attributes['feature_flag.result.value'];
  if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return String(value);
  if (typeof variant !== 'string') return undefined;
  if (variant === 'default') return String(flag.defaultValue);
  const rule = /^rule-(\d+)$/.exec(variant);
  const served = rule === null ? undefined : flag.rules[Number(rule[1]) - 1];
  return served === undefined ? undefined : String(served.value);
}

/**
 * The arm of each trace: the one its spans name, so that every span of a request (the checkout
 * span a child of the span that evaluated the flag) counts for the variant the request was served.
 * A trace whose spans name two arms is `null` (ambiguous, counted for neither); arms the
 * experiment does not compare are ignored.
 */
export function armsByTrace(spans: readonly ExperimentSpan[], experiment: Pick<ResolvedExperiment, 'flag' | 'arms'>, flag: AttributionFlag): Map<string, string | null> {
  const names = new Set(experiment.arms.map((a) => a.name));
  const byTrace = new Map<string, string | null>();
  for (const span of spans) {
    const arm = armOfSpan(span, experiment.flag, flag);
    if (arm === undefined || !names.has(arm)) continue;
    const seen = byTrace.get(span.traceId);
    if (seen === undefined) byTrace.set(span.traceId, arm);
    else if (seen !== arm) byTrace.set(span.traceId, null);
  }
  return byTrace;
}
