/** The restart backoff of a task set. */
export interface BackoffPolicy {
  /** Delay before replacing the first failed task. @default 1000 */
  readonly initialMs: number;
  /** The longest delay. @default 30000 */
  readonly maxMs: number;
  /** A task Healthy this long ends the crash-loop streak. @default 30000 */
  readonly resetAfterHealthyMs: number;
}

/** The default {@link BackoffPolicy}: 1 s, 2 s, 4 s, … up to 30 s. */
export const DEFAULT_BACKOFF: BackoffPolicy = Object.freeze({ initialMs: 1000, maxMs: 30_000, resetAfterHealthyMs: 30_000 });

/** Delay before the next start after `failureStreak` failed tasks in a row (pure): 0, then initial, doubling, capped. */
export function backoffDelayMs(failureStreak: number, policy: Pick<BackoffPolicy, 'initialMs' | 'maxMs'>): number {
  if (failureStreak <= 0) return 0;
  // Cap the exponent so the doubling cannot overflow to Infinity.
  const exp = Math.min(failureStreak - 1, 40);
  return Math.min(policy.initialMs * 2 ** exp, policy.maxMs);
}
