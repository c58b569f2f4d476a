/** How a step changes the task count, as Application Auto Scaling's `AdjustmentType`. */
export type AdjustmentType = 'ChangeInCapacity' | 'PercentChangeInCapacity' | 'ExactCapacity';

/**
 * One step of a step scaling action: an interval of the breaching metric, relative to the alarm's
 * threshold (`metric - threshold`), and the adjustment made when the metric is in it.
 */
export interface StepAdjustment {
  /** Inclusive lower bound of `metric - threshold`; undefined: minus infinity. */
  readonly lowerBound: number | undefined;
  /** Exclusive upper bound; undefined: infinity. */
  readonly upperBound: number | undefined;
  /** Tasks to add (or remove, negative), percent of the current count, or the exact count. */
  readonly adjustment: number;
}

/** What is wrong with a list of steps, each with the index of the step it is about. */
export function stepAdjustmentProblems(steps: readonly StepAdjustment[]): { readonly index: number; readonly message: string }[] {
  const problems: { index: number; message: string }[] = [];
  const show = (s: StepAdjustment): string => `[${s.lowerBound ?? '-∞'}, ${s.upperBound ?? '∞'})`;
  steps.forEach((s, i) => {
    if (s.lowerBound === undefined && s.upperBound === undefined) problems.push({ index: i, message: 'a step needs a lowerBound or an upperBound (or both): Application Auto Scaling refuses a step with neither' });
    else if (s.lowerBound !== undefined && s.upperBound !== undefined && s.lowerBound >= s.upperBound) problems.push({ index: i, message: `lowerBound (${s.lowerBound}) must be below upperBound (${s.upperBound})` });
  });
  if (problems.length > 0) return problems;
  const order = steps.map((s, i) => ({ s, i })).sort((a, b) => (a.s.lowerBound ?? -Infinity) - (b.s.lowerBound ?? -Infinity));
  for (let k = 1; k < order.length; k++) {
    const prev = order[k - 1]!;
    const cur = order[k]!;
    const prevUpper = prev.s.upperBound ?? Infinity;
    const curLower = cur.s.lowerBound ?? -Infinity;
    if (curLower < prevUpper) problems.push({ index: cur.i, message: `the interval ${show(cur.s)} overlaps step ${prev.i}'s ${show(prev.s)}` });
    else if (curLower > prevUpper) problems.push({ index: cur.i, message: `there is a gap between step ${prev.i}'s ${show(prev.s)} and ${show(cur.s)}: steps must be contiguous, as Application Auto Scaling requires` });
  }
  return problems;
}

/**
 * The step for a breach of `delta = metric - threshold`, as Application Auto Scaling picks it: above
 * the threshold (delta ≥ 0) an interval's lower bound is inclusive and its upper bound exclusive;
 * below it, the other way round. Undefined when no step covers the delta.
 */
export function selectStep(steps: readonly StepAdjustment[], delta: number): StepAdjustment | undefined {
  return steps.find((s) => {
    const lower = s.lowerBound ?? -Infinity;
    const upper = s.upperBound ?? Infinity;
    return delta >= 0 ? delta >= lower && delta < upper : delta > lower && delta <= upper;
  });
}

/**
 * The count a step asks for (before min/max): `current + adjustment`, `adjustment`, or a percentage of
 * `current` rounded as Application Auto Scaling rounds it (towards zero, but at least one task either
 * way), and at least `minAdjustmentMagnitude` tasks for a percentage.
 */
export function adjustedCount(current: number, type: AdjustmentType, adjustment: number, minAdjustmentMagnitude: number | undefined): number {
  if (type === 'ExactCapacity') return adjustment;
  if (type === 'ChangeInCapacity') return current + adjustment;
  const raw = (current * adjustment) / 100;
  let change = raw > 0 ? Math.max(1, Math.floor(raw)) : raw < 0 ? Math.min(-1, Math.ceil(raw)) : 0;
  if (minAdjustmentMagnitude !== undefined && change !== 0 && Math.abs(change) < minAdjustmentMagnitude) change = Math.sign(change) * minAdjustmentMagnitude;
  return current + change;
}
