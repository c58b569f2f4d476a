// Welch's t-test: do two samples of a continuous metric (latency, order value) have different means?
import { studentTQuantile, studentTTwoSided } from './student-t.js';

/** What Welch's test needs of one sample. */
export interface SampleSummary {
  /** Number of observations; at least 2. */
  readonly n: number;
  readonly mean: number;
  /** The unbiased sample variance (divided by n − 1). */
  readonly variance: number;
}

/** The outcome of {@link welchTest}: treatment − control. */
export interface WelchResult {
  /** Treatment mean − control mean. */
  readonly difference: number;
  /** The confidence interval of the difference at 1 − alpha. */
  readonly ci: readonly [number, number];
  readonly t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  readonly df: number;
  /** Two-sided p-value of t with df degrees of freedom. */
  readonly pValue: number;
}

/** Count, mean and unbiased variance of values (Welford's algorithm: one pass, no cancellation). */
export function summarize(values: Iterable<number>): SampleSummary {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (const v of values) {
    n += 1;
    const delta = v - mean;
    mean += delta / n;
    m2 += delta * (v - mean);
  }
  return { n, mean: n === 0 ? Number.NaN : mean, variance: n < 2 ? Number.NaN : m2 / (n - 1) };
}

/**
 * The Welch–Satterthwaite degrees of freedom:
 * (v₁/n₁ + v₂/n₂)² / ((v₁/n₁)²/(n₁−1) + (v₂/n₂)²/(n₂−1)).
 */
export function welchDf(a: SampleSummary, b: SampleSummary): number {
  const qa = a.variance / a.n;
  const qb = b.variance / b.n;
  return (qa + qb) ** 2 / ((qa * qa) / (a.n - 1) + (qb * qb) / (b.n - 1));
}

/**
 * Welch's unequal-variances t-test of treatment against control, two-sided, with the confidence
 * interval of the difference of means at 1 − `alpha`. Two samples without any variance are equal
 * (t = 0, p = 1) when their means are, and certainly different (p = 0) when they are not.
 * @throws RangeError when a sample has fewer than 2 observations or alpha is not in (0, 1)
 */
export function welchTest(control: SampleSummary, treatment: SampleSummary, alpha: number): WelchResult {
  if (control.n < 2 || treatment.n < 2) throw new RangeError(`welchTest: each sample needs at least 2 observations, got ${control.n} and ${treatment.n}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`welchTest: alpha must be in (0, 1), got ${alpha}`);
  const difference = treatment.mean - control.mean;
  const se = Math.sqrt(control.variance / control.n + treatment.variance / treatment.n);
  if (se === 0) {
    const same = difference === 0;
    return { difference, ci: [difference, difference], t: same ? 0 : Math.sign(difference) * Infinity, df: control.n + treatment.n - 2, pValue: same ? 1 : 0 };
  }
  const df = welchDf(control, treatment);
  const t = difference / se;
  const half = studentTQuantile(1 - alpha / 2, df) * se;
  return { difference, ci: [difference - half, difference + half], t, df, pValue: studentTTwoSided(t, df) };
}
