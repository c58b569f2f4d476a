/** What {@link decideScaling} looks at. */
export interface ScalingInput {
  /** Tasks the set has now (its desired count). */
  readonly currentCount: number;
  /** The measured metric (average per task: CPU percent, requests per task); undefined when there is no data. */
  readonly measured: number | undefined;
  /** The value to keep the metric at. */
  readonly target: number;
  readonly minCount: number;
  readonly maxCount: number;
  readonly nowMs: number;
  /** When the set last scaled out / in; null when never. */
  readonly lastScaleOutMs: number | null;
  readonly lastScaleInMs: number | null;
  /** No scale-out within this time after the previous scale-out. */
  readonly scaleOutCooldownMs: number;
  /** No scale-in within this time after any scaling activity. */
  readonly scaleInCooldownMs: number;
  /**
   * Scale in only to a count at which the metric would still be this
   * fraction under target, so the set does not flap back out. @default 0.1
   */
  readonly scaleInMargin?: number;
}

/** What {@link decideScaling} decided. */
export interface ScalingDecision {
  readonly desiredCount: number;
  /** Why, in one line. */
  readonly reason: string;
}

// Guards ceil() against float noise such as 3 * 70 / 70 = 3.0000000000000004.
const EPSILON = 1e-9;

/**
 * Target tracking, as Application Auto Scaling does it (pure): the count at
 * which the metric would be at target is `ceil(current * measured / target)`,
 * clamped to min/max. Scale-out honours its cooldown; scale-in is slower and
 * more careful: it waits for its cooldown after any activity and goes only as
 * far as keeps the metric `scaleInMargin` under target. Without a
 * measurement nothing changes (except to bring the count within min/max).
 */
export function decideScaling(input: ScalingInput): ScalingDecision {
  const { currentCount: current, minCount: min, maxCount: max } = input;
  if (current < min) return { desiredCount: min, reason: `below the minimum of ${min}` };
  if (current > max) return { desiredCount: max, reason: `above the maximum of ${max}` };
  const m = input.measured;
  if (m === undefined || !Number.isFinite(m) || m < 0) return { desiredCount: current, reason: 'no measurement' };
  if (current === 0) return { desiredCount: current, reason: 'no tasks to measure' };
  const ideal = Math.ceil((current * m) / input.target - EPSILON);
  const wanted = Math.min(Math.max(ideal, min), max);
  const at = `${round(m)} against a target of ${round(input.target)}`;
  if (wanted > current) {
    if (input.lastScaleOutMs !== null && input.nowMs - input.lastScaleOutMs < input.scaleOutCooldownMs) {
      return { desiredCount: current, reason: `scale-out cooldown (${at})` };
    }
    return { desiredCount: wanted, reason: `scale out: ${at}${wanted < ideal ? ` (capped at ${max})` : ''}` };
  }
  if (wanted === current) return { desiredCount: current, reason: `at target: ${at}` };
  const last = Math.max(input.lastScaleInMs ?? -Infinity, input.lastScaleOutMs ?? -Infinity);
  if (input.nowMs - last < input.scaleInCooldownMs) return { desiredCount: current, reason: `scale-in cooldown (${at})` };
  // The fewest tasks at which the metric stays under target by the margin.
  const ceiling = input.target * (1 - (input.scaleInMargin ?? 0.1));
  let n = wanted;
  while (n < current && (current * m) / n > ceiling + EPSILON) n++;
  if (n >= current) return { desiredCount: current, reason: `within the scale-in margin (${at})` };
  return { desiredCount: n, reason: `scale in: ${at}` };
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
