import { hash } from 'node:crypto';

/** Buckets per flag: a percentage is served to buckets `0 … percent × 1000 − 1`, so 0.001 % steps are exact. */
export const BUCKET_COUNT = 100_000;

/** Most buckets remembered, and the longest input remembered: at most about 40 MB, usually a few. */
const RECENT_MAX = 65_536;
const RECENT_MAX_INPUT = 256;
const recent = new Map<string, number>();

/**
 * The bucket (0 … 99 999) of a stickiness value for a flag: the first four bytes of
 * `SHA-256(flagKey + "/" + value)` read as an unsigned big-endian integer, scaled to
 * {@link BUCKET_COUNT}. A value is in a split of `p` % when its bucket is below `p × 1000`;
 * raising `p` only adds buckets, so everyone already in stays in (10 % → 20 % keeps the first 10 %).
 * The flag key is part of the input so that two flags at 10 % do not pick the same users.
 */
export function bucketOf(flagKey: string, value: string): number {
  const input = `${flagKey}/${value}`;
  const cached = recent.get(input);
  if (cached !== undefined) return cached;
  const bucket = Math.floor((hash('sha256', input, 'buffer').readUInt32BE(0) / 0x1_0000_0000) * BUCKET_COUNT);
  // The function is pure, so remembering recent answers changes nothing but their cost (the hash is
  // most of an evaluation); the memory is bounded by starting over when the map is full.
  if (input.length > RECENT_MAX_INPUT) return bucket;
  if (recent.size >= RECENT_MAX) recent.clear();
  recent.set(input, bucket);
  return bucket;
}

/** Whether `value` falls in the first `percentage` % of the flag's buckets. */
export function inPercentage(flagKey: string, value: string, percentage: number): boolean {
  if (percentage >= 100) return true;
  if (percentage <= 0) return false;
  return bucketOf(flagKey, value) < Math.round(percentage * (BUCKET_COUNT / 100));
}
