import { trace, type AttributeValue } from '@opentelemetry/api';

/** The span event OpenTelemetry's semantic conventions name for a flag evaluation. */
export const FLAG_EVALUATION_EVENT = 'feature_flag.evaluation';

/**
 * Records a served evaluation on the active span, if there is one (a no-op without an
 * OpenTelemetry SDK): a `feature_flag.evaluation` event with `feature_flag.key`,
 * `feature_flag.result.variant`, `feature_flag.result.value` (when a boolean, string or number) and
 * `feature_flag.provider.name` — the semantic conventions' names, which slipway's experiments
 * attribute spans by — and the same key and variant as span attributes (`feature_flag.key`,
 * `feature_flag.result.variant`) for trace search; with several flags on one span the attributes
 * name the last, the events every one.
 */
export function recordEvaluationOnSpan(key: string, variant: string, value: unknown): void {
  const span = trace.getActiveSpan();
  if (span === undefined || !span.isRecording()) return;
  const attributes: Record<string, AttributeValue> = { 'feature_flag.key': key, 'feature_flag.result.variant': variant, 'feature_flag.provider.name': 'slipway' };
  if (typeof value === 'boolean' || typeof value === 'string' || typeof value === 'number') attributes['feature_flag.result.value'] = value;
  span.addEvent(FLAG_EVALUATION_EVENT, attributes);
  span.setAttributes({ 'feature_flag.key': key, 'feature_flag.result.variant': variant });
}
