// Guardrails: a pure reading of each guardrail per variant, and whether a variant breached it.
import type { ResolvedExperiment } from '../shared/index.js';
import type { ArmGuardrail } from './measure.js';
import type { GuardrailResult } from '../shared/index.js';

function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank, as the metric statistics compute pNN.
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1]!;
}

/**
 * Reads every guardrail on every variant: the error rate (percent of the spans watched with
 * status Error) or the latency percentile (nearest rank, ms). A variant other than the control
 * breaches when it has at least `minSamplePerVariant` spans watched and its value is above the
 * threshold — the same minimum sample as the verdict, so a few slow requests never stop an
 * experiment. The control is read for comparison but never breaches: serving it is what a stop does.
 */
export function assessGuardrails(experiment: ResolvedExperiment, guardrails: ReadonlyMap<string, ReadonlyMap<string, ArmGuardrail>>): GuardrailResult[] {
  return experiment.guardrails.map((g) => {
    const threshold = g.kind === 'errorRate' ? g.maxPercent : g.maxMs;
    let breach: string | undefined;
    const variants = experiment.arms.map((arm, i) => {
      const r = guardrails.get(g.name)?.get(arm.name) ?? { samples: 0, errors: 0, durationsMs: [] };
      const value = g.kind === 'errorRate' ? (r.samples === 0 ? null : (100 * r.errors) / r.samples) : percentile(r.durationsMs, g.percentile);
      const breached = i > 0 && value !== null && r.samples >= experiment.minSamplePerVariant && value > threshold;
      if (breached && breach === undefined) {
        breach =
          g.kind === 'errorRate'
            ? `guardrail ${g.name}: variant ${arm.name} fails ${value.toFixed(2)} % of ${r.samples} spans, above ${threshold} %`
            : `guardrail ${g.name}: variant ${arm.name} p${g.percentile} latency is ${value.toFixed(1)} ms over ${r.samples} spans, above ${threshold} ms`;
      }
      return { variant: arm.name, samples: r.samples, value, breached };
    });
    return { name: g.name, kind: g.kind, threshold, variants, breach };
  });
}
