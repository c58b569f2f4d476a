// The verdict on the primary metric: a pure function of the measurements.
import type { ResolvedExperiment } from '../shared/index.js';
import type { ArmPrimary } from './measure.js';
import type { Comparison, Verdict, VariantResult } from '../shared/index.js';
import { twoProportionTest } from './stats/two-proportion.js';
import { summarize, welchTest } from './stats/welch.js';

/** What {@link decideVerdict} concludes. */
export interface PrimaryVerdict {
  readonly verdict: Verdict;
  readonly winner: string | undefined;
  readonly summary: string;
  readonly variants: readonly VariantResult[];
  readonly alphaPerComparison: number;
}

const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;

/**
 * Compares every variant with the control on the primary metric. Until every variant (control
 * included) has `minSamplePerVariant` exposures the verdict is `Inconclusive` and no test is
 * reported. Then each variant is tested against the control — two-proportion z-test for a
 * conversion, Welch's t-test for a mean — at alpha / (variants − 1) (Bonferroni, so that comparing
 * more variants does not make a false winner likelier). `Better` names the significant variant
 * with the largest improvement; `Worse` when every significant variant is worse; `NotSignificant`
 * when none is significant. A conversion count above the exposures (events that are not one per
 * exposure) is `Inconclusive` with that reason: a rate above 100 % is no proportion to test.
 */
export function decideVerdict(experiment: ResolvedExperiment, primary: ReadonlyMap<string, ArmPrimary>): PrimaryVerdict {
  const k = experiment.arms.length;
  const alpha = experiment.significance / Math.max(1, k - 1);
  const isConversion = experiment.primary.kind === 'conversion';
  const higherIsBetter = experiment.primary.kind === 'conversion' || experiment.primary.higherIsBetter;
  const data = experiment.arms.map((arm, i) => {
    const d = primary.get(arm.name) ?? { exposures: 0, conversions: 0, values: [] };
    const exposures = isConversion ? d.exposures : d.values.length;
    const s = isConversion ? undefined : summarize(d.values);
    const value = exposures === 0 ? null : isConversion ? d.conversions / d.exposures : s!.mean;
    return { arm: arm.name, control: i === 0, d, exposures, value, summary: s };
  });
  const base = (x: (typeof data)[number], verdict: Verdict, comparison?: Comparison): VariantResult => ({
    variant: x.arm,
    control: x.control,
    exposures: x.exposures,
    ...(isConversion ? { conversions: x.d.conversions } : {}),
    value: x.value,
    ...(comparison === undefined ? {} : { comparison }),
    verdict,
  });
  const short = data.filter((x) => x.exposures < experiment.minSamplePerVariant);
  if (short.length > 0) {
    const waiting = short.map((x) => `${x.arm} ${x.exposures}/${experiment.minSamplePerVariant}`).join(', ');
    return { verdict: 'Inconclusive', winner: undefined, summary: `waiting for ${experiment.minSamplePerVariant} exposures per variant (${waiting})`, variants: data.map((x) => base(x, 'Inconclusive')), alphaPerComparison: alpha };
  }
  const over = data.find((x) => isConversion && x.d.conversions > x.d.exposures);
  if (over !== undefined) {
    return {
      verdict: 'Inconclusive',
      winner: undefined,
      summary: `variant ${over.arm} has more conversions (${over.d.conversions}) than exposures (${over.d.exposures}): the conversion event must happen at most once per exposure`,
      variants: data.map((x) => base(x, 'Inconclusive')),
      alphaPerComparison: alpha,
    };
  }
  const control = data[0]!;
  const results: VariantResult[] = [base(control, 'NotSignificant')];
  for (const x of data.slice(1)) {
    const c = compare(control, x, isConversion, alpha);
    const better = higherIsBetter ? c.difference > 0 : c.difference < 0;
    results.push(base(x, c.significant ? (better ? 'Better' : 'Worse') : 'NotSignificant', c));
  }
  const treatments = results.slice(1);
  const gain = (r: VariantResult): number => (higherIsBetter ? 1 : -1) * r.comparison!.difference;
  const winners = treatments.filter((r) => r.verdict === 'Better').sort((a, b) => gain(b) - gain(a));
  const losers = treatments.filter((r) => r.verdict === 'Worse');
  const show = (r: VariantResult): string => {
    const c = r.comparison!;
    const f = isConversion ? pct : (n: number) => n.toPrecision(4);
    return `${f(c.difference)} (${(1 - experiment.significance) * 100} % CI ${f(c.ci[0])} to ${f(c.ci[1])}, p = ${c.pValue.toPrecision(3)})`;
  };
  if (winners.length > 0) {
    const w = winners[0]!;
    return { verdict: 'Better', winner: w.variant, summary: `${w.variant} beats control ${control.arm} by ${show(w)}`, variants: results, alphaPerComparison: alpha };
  }
  if (losers.length > 0 && losers.length === treatments.length) {
    const l = losers[0]!;
    return { verdict: 'Worse', winner: l.variant, summary: `${l.variant} is worse than control ${control.arm} by ${show(l)}`, variants: results, alphaPerComparison: alpha };
  }
  return { verdict: 'NotSignificant', winner: undefined, summary: `no variant differs significantly from control ${control.arm} at alpha ${alpha.toPrecision(3)} (${treatments.map((r) => `${r.variant}: p = ${r.comparison!.pValue.toPrecision(3)}`).join(', ')})`, variants: results, alphaPerComparison: alpha };
}

interface ArmData {
  readonly d: ArmPrimary;
  readonly summary: ReturnType<typeof summarize> | undefined;
}

function compare(control: ArmData, x: ArmData, isConversion: boolean, alpha: number): Comparison {
  if (isConversion) {
    const r = twoProportionTest({ successes: control.d.conversions, trials: control.d.exposures }, { successes: x.d.conversions, trials: x.d.exposures }, alpha);
    return { difference: r.difference, ci: r.ci, pValue: r.pValue, significant: r.pValue < alpha, statistic: r.z };
  }
  const r = welchTest(control.summary!, x.summary!, alpha);
  return { difference: r.difference, ci: r.ci, pValue: r.pValue, significant: r.pValue < alpha, statistic: r.t, df: r.df };
}
