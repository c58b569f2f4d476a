import { createHash } from 'node:crypto';

/** Buckets per flag: a percentage is served to buckets `0 … percent × 1000 − 1`, so 0.001 % steps are exact. */
export const BUCKET_COUNT = 100_000;

/**
 * The bucket (0 … 99 999) of a stickiness value for a flag: the first four bytes of
 * `SHA-256(flagKey + "/" + value)` read as an unsigned big-endian integer, scaled to
 * {@link BUCKET_COUNT}. A value is in a split of `p` % when its bucket is below `p × 1000`;
 * raising `p` only adds buckets, so everyone already in stays in (10 % → 20 % keeps the first 10 %).
 * The flag key is part of the input so that two flags at 10 % do not pick the same users.
 */
export function bucketOf(flagKey: string, value: string): number {
  const digest = createHash('sha256').update(`${flagKey}/${value}`).digest();
  return Math.floor((digest.readUInt32BE(0) / 0x1_0000_0000) * BUCKET_COUNT);
}

/** Whether `value` falls in the first `percentage` % of the flag's buckets. */
export function inPercentage(flagKey: string, value: string, percentage: number): boolean {
  if (percentage >= 100) return true;
  if (percentage <= 0) return false;
  return bucketOf(flagKey, value) < Math.round(percentage * (BUCKET_COUNT / 100));
}
