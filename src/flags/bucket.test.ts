import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BUCKET_COUNT, bucketOf, inPercentage } from './bucket.js';

const keys = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);

describe('bucketOf', () => {
  it('is the documented SHA-256 bucket, stable across releases', () => {
    // GIVEN the documented hash THEN these values never change (a change re-buckets every user)
    expect(bucketOf('newCheckout', 'user-1')).toBe(bucketOf('newCheckout', 'user-1'));
    expect([bucketOf('newCheckout', 'user-1'), bucketOf('newCheckout', 'user-2'), bucketOf('other', 'user-1')]).toMatchSnapshot();
  });

  it('answers the same from memory as from the hash, past the memory bound and for long values', () => {
    const direct = (flag: string, value: string) => Math.floor((createHash('sha256').update(`${flag}/${value}`).digest().readUInt32BE(0) / 0x1_0000_0000) * BUCKET_COUNT);
    const values = [...Array.from({ length: 70_000 }, (_, i) => `u-${i}`), 'x'.repeat(1000)];
    for (let pass = 0; pass < 2; pass++) for (const v of values) if (bucketOf('f', v) !== direct('f', v)) throw new Error(`pass ${pass}: bucket of ${v.slice(0, 20)} differs`);
  });

  it('stays within 0 … BUCKET_COUNT − 1', () => {
    for (const k of keys) {
      const b = bucketOf('f', k);
      expect(b).toBeGreaterThanOrEqual(0);
      expect(b).toBeLessThan(BUCKET_COUNT);
    }
  });
});

describe('inPercentage', () => {
  it.each([1, 10, 25, 50, 90])('serves %i %% of 10 000 keys within ±2 %%', (p) => {
    // WHEN 10 000 keys are bucketed THEN the share is within two points of the percentage
    const share = (keys.filter((k) => inPercentage('newCheckout', k, p)).length / keys.length) * 100;
    expect(Math.abs(share - p)).toBeLessThanOrEqual(2);
  });

  it('keeps everyone already in when the percentage is raised (10 → 20)', () => {
    const at10 = keys.filter((k) => inPercentage('newCheckout', k, 10));
    const at20 = new Set(keys.filter((k) => inPercentage('newCheckout', k, 20)));
    expect(at10.length).toBeGreaterThan(0);
    expect(at10.every((k) => at20.has(k))).toBe(true);
    expect(at20.size).toBeGreaterThan(at10.length);
  });

  it('buckets flags independently', () => {
    const a = keys.filter((k) => inPercentage('a', k, 10));
    const b = new Set(keys.filter((k) => inPercentage('b', k, 10)));
    // Independent 10 % samples overlap on about 1 %, not 10 %.
    expect(a.filter((k) => b.has(k)).length).toBeLessThan(300);
  });

  it.each([[0, false], [100, true], [-5, false], [150, true]])('at %i %% serves %s to everyone', (p, want) => {
    expect(keys.slice(0, 100).every((k) => inPercentage('f', k, p) === want)).toBe(true);
  });
});
