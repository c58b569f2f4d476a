// The two-proportion z-test: is the treatment's conversion rate different from the control's?
import { normalCdf, normalQuantile } from './normal.js';

/** Successes out of trials, for one arm. */
export interface Proportion {
  /** Conversions. */
  readonly successes: number;
  /** Exposures (trials); at least `successes`. */
  readonly trials: number;
}

/** The outcome of {@link twoProportionTest}: treatment − control. */
export interface TwoProportionResult {
  /** Treatment rate − control rate. */
  readonly difference: number;
  /** The confidence interval of the difference, at 1 − alpha (unpooled Wald interval). */
  readonly ci: readonly [number, number];
  /** The z statistic (pooled standard error, under H0: equal rates). */
  readonly z: number;
  /** Two-sided p-value of z. */
  readonly pValue: number;
}

/**
 * The two-sided two-proportion z-test of treatment against control. The test statistic uses the
 * pooled rate (the standard error under the null hypothesis); the interval of the difference uses
 * the unpooled standard error (the Wald interval) at confidence 1 − `alpha`. When both arms have
 * the same rate of 0 or 1 there is no variance: z = 0, p = 1, the interval is [0, 0].
 * @throws RangeError when an arm has no trials, more successes than trials, or alpha is not in (0, 1)
 */
export function twoProportionTest(control: Proportion, treatment: Proportion, alpha: number): TwoProportionResult {
  for (const arm of [control, treatment]) {
    if (!(arm.trials > 0) || arm.successes < 0 || arm.successes > arm.trials) {
      throw new RangeError(`twoProportionTest: need 0 ≤ successes ≤ trials and trials > 0, got ${arm.successes}/${arm.trials}`);
    }
  }
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`twoProportionTest: alpha must be in (0, 1), got ${alpha}`);
  const p1 = control.successes / control.trials;
  const p2 = treatment.successes / treatment.trials;
  const difference = p2 - p1;
  const pooled = (control.successes + treatment.successes) / (control.trials + treatment.trials);
  const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / control.trials + 1 / treatment.trials));
  const seUnpooled = Math.sqrt((p1 * (1 - p1)) / control.trials + (p2 * (1 - p2)) / treatment.trials);
  const z = sePooled === 0 ? 0 : difference / sePooled;
  const pValue = sePooled === 0 ? 1 : 2 * normalCdf(-Math.abs(z));
  const half = normalQuantile(1 - alpha / 2) * seUnpooled;
  return { difference, ci: [difference - half, difference + half], z, pValue };
}
