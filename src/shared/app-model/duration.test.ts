import { describe, expect, it } from 'vitest';
import { InputError } from '../errors/index.js';
import { formatDuration, parseDuration, tryParseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['2d', 172_800_000],
    ['1m30s', 90_000],
    ['1.5s', 1_500],
    ['0s', 0],
  ])('GIVEN %j WHEN parsed THEN it is %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['10 sec', '30', 's', '', '5M', '-1s', '1w', '30s ', 'ms'])('GIVEN %j WHEN parsed THEN it is not a duration', (text) => {
    expect(tryParseDuration(text)).toBeUndefined();
    expect(() => parseDuration(text)).toThrow(InputError);
    expect(() => parseDuration(text)).toThrow(`expected a duration such as "30s" or "5m", got ${JSON.stringify(text)}`);
  });

  it('throws with the duration code', () => {
    // GIVEN text that is not a duration WHEN parsed THEN the error carries SLW_ERR_CONFIG_DURATION
    expect(() => parseDuration('soon')).toThrow(expect.objectContaining({ code: 'SLW_ERR_CONFIG_DURATION' }));
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [500, '500ms'],
    [30_000, '30s'],
    [90_000, '1m30s'],
    [3_600_000, '1h'],
    [90_061_001, '1d1h1m1s1ms'],
  ])('GIVEN %i ms WHEN formatted THEN it is %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    // AND it parses back to the same number
    expect(parseDuration(text)).toBe(ms);
  });

  it('rejects negative numbers', () => {
    expect(() => formatDuration(-1)).toThrow('expected a non-negative number of milliseconds, got -1');
  });
});
