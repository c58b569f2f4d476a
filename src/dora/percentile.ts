/**
 * The nearest-rank percentile: sort ascending and take the value at 1-based rank ⌈p/100 × n⌉.
 * Always an observed value (so a figure can be traced to one record); the median is `percentile(v, 50)`,
 * the lower of the two middle values for an even count. Undefined for no values.
 */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}
