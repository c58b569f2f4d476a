import type { ExperimentDto, ResolvedEventSelector, ResolvedExperimentMetric, VariantResult } from '../../../src/shared/index.js';

/** The path of an experiment's page. */
export const experimentPath = (environment: string, name: string): string => `/experiments/${encodeURIComponent(environment)}/${encodeURIComponent(name)}`;

/** `span checkout.started (orders)`, `log checkout.completed`. */
export function showSelector(s: ResolvedEventSelector): string {
  return `${s.source} ${s.name}${s.service === undefined ? '' : ` (${s.service})`}`;
}

/** The primary metric in one line: `conversion: span cart.viewed → span checkout.completed`, `mean of span checkout (duration, lower is better)`. */
export function showMetric(m: ResolvedExperimentMetric): string {
  if (m.kind === 'conversion') return `conversion: ${showSelector(m.exposure)} → ${showSelector(m.conversion)}`;
  return `mean of ${showSelector(m.of)} (${m.attribute ?? 'duration ms'}, ${m.higherIsBetter ? 'higher' : 'lower'} is better)`;
}

/** A rate as a percent with two decimals (`12.35 %`), a mean with up to three significant decimals. */
export function showValueOf(kind: ResolvedExperimentMetric['kind'], value: number | null): string {
  if (value === null) return '—';
  return kind === 'conversion' ? `${(value * 100).toFixed(2)} %` : value.toFixed(3);
}

/** A difference (or a bound of its interval): percentage points for rates, signed. */
export function showDifference(kind: ResolvedExperimentMetric['kind'], d: number): string {
  const sign = d > 0 ? '+' : d < 0 ? '−' : '';
  const abs = Math.abs(d);
  return kind === 'conversion' ? `${sign}${(abs * 100).toFixed(2)} pp` : `${sign}${abs.toFixed(3)}`;
}

/** `0.0123`, or `1.23e-7` when smaller than 0.0001. */
export function showPValue(p: number): string {
  return p < 1e-4 ? p.toExponential(2) : p.toFixed(4);
}

/** The confidence level of an experiment's intervals, as the API computes them: `95 %`. */
export const confidenceOf = (e: Pick<ExperimentDto, 'significance'>): string => `${Math.round((1 - e.significance) * 1000) / 10} %`;

/** The share of the minimum sample the least-sampled variant has, 0–1. */
export function sampleProgress(variants: readonly VariantResult[], minSample: number): number {
  if (variants.length === 0 || minSample <= 0) return 0;
  return Math.min(1, ...variants.map((v) => v.exposures / minSample));
}
