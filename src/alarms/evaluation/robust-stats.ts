/** Scales a median absolute deviation to the standard deviation of a normal distribution. */
export const MAD_TO_STD_DEV = 1.4826;

/** The median of `values` (mean of the two middle values for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Robust centre and spread of a sample: the median and the MAD scaled by 1.4826. */
export interface RobustStats {
  /** The median. */
  readonly median: number;
  /** The median absolute deviation × 1.4826, an outlier-resistant standard deviation. */
  readonly stdDev: number;
  /** How many values. */
  readonly count: number;
}

/** The median and scaled MAD of `values`. */
export function robustStats(values: readonly number[]): RobustStats {
  const centre = median(values);
  const mad = median(values.map((v) => Math.abs(v - centre)));
  return { median: centre, stdDev: mad * MAD_TO_STD_DEV, count: values.length };
}
