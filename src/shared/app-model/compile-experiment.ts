import { parseDuration } from './duration.js';
import type { FlagValue, ResolvedFlag } from './resolved.js';
import type { ResolvedEventSelector, ResolvedExperiment, ResolvedExperimentMetric, ResolvedGuardrail } from './resolved-experiment.js';
import type { ExperimentDefinition } from './schema/experiment.js';

/** The default of `minSamplePerVariant`. */
export const DEFAULT_MIN_SAMPLE_PER_VARIANT = 100;
/** The default of `significance` (alpha). */
export const DEFAULT_SIGNIFICANCE = 0.05;

/**
 * Every value a flag can serve, in order of first appearance: its variant names when it has
 * variants, otherwise its default and then each rule's value.
 */
export function servableValues(flag: Pick<ResolvedFlag, 'defaultValue' | 'variants' | 'rules'>): FlagValue[] {
  if (flag.variants !== undefined) return Object.keys(flag.variants);
  const values: FlagValue[] = [flag.defaultValue];
  for (const rule of flag.rules) if (!values.includes(rule.value)) values.push(rule.value);
  return values;
}

type Selector = { readonly span: string; readonly service?: string | undefined } | { readonly log: string; readonly service?: string | undefined };

function compileSelector(s: Selector): ResolvedEventSelector {
  return 'log' in s ? { source: 'log', name: s.log, service: s.service } : { source: 'span', name: s.span, service: s.service };
}

/**
 * An experiment as written, compiled against its (checked) flag: the control first among the
 * arms, defaults filled in (`minSamplePerVariant` 100, `significance` 0.05, every environment,
 * latency percentile 99), durations in ms.
 */
export function compileExperiment(name: string, e: ExperimentDefinition, flag: ResolvedFlag, environments: readonly string[]): ResolvedExperiment {
  const values = e.variants ?? servableValues(flag);
  const ordered = [e.control, ...values.filter((v) => v !== e.control)];
  const primary: ResolvedExperimentMetric =
    e.primary.kind === 'conversion'
      ? { kind: 'conversion', exposure: compileSelector(e.primary.exposure), conversion: compileSelector(e.primary.conversion) }
      : { kind: 'mean', of: compileSelector(e.primary.of), attribute: e.primary.attribute, higherIsBetter: e.primary.higherIsBetter ?? true };
  const guardrails = Object.entries(e.guardrails ?? {}).map(([g, def]): ResolvedGuardrail =>
    def.kind === 'errorRate'
      ? { name: g, kind: 'errorRate', span: def.span, service: def.service, maxPercent: def.maxPercent }
      : { name: g, kind: 'latency', span: def.span, service: def.service, percentile: def.percentile ?? 99, maxMs: parseDuration(def.max) },
  );
  return {
    name,
    description: e.description,
    flag: e.flag,
    arms: ordered.map((value) => ({ name: String(value), value })),
    primary,
    guardrails,
    minSamplePerVariant: e.minSamplePerVariant ?? DEFAULT_MIN_SAMPLE_PER_VARIANT,
    significance: e.significance ?? DEFAULT_SIGNIFICANCE,
    environments: [...(e.environments ?? environments)],
  };
}
