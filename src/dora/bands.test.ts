import { describe, expect, it } from 'vitest';
import { changeFailureBand, durationBand, frequencyBand } from './bands.js';
import { percentile } from './percentile.js';
import { DORA_THRESHOLDS } from './thresholds.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const t2024 = DORA_THRESHOLDS['2024'];
const t2023 = DORA_THRESHOLDS['2023'];
if (t2024 === undefined || t2023 === undefined) throw new Error('thresholds missing');

describe('percentile (nearest rank)', () => {
  it.each([
    [[5, 1, 3], 50, 3],
    [[4, 1, 3, 2], 50, 2],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90, 10],
    [[7], 90, 7],
    [[1, 2], 100, 2],
  ])('%j at p%i → %i', (values, p, want) => {
    // GIVEN values WHEN the percentile is taken THEN it is the value at rank ⌈p/100·n⌉
    expect(percentile(values, p)).toBe(want);
  });

  it('is undefined for no values', () => {
    // GIVEN nothing WHEN asked THEN no figure
    expect(percentile([], 50)).toBeUndefined();
  });
});

describe('bands (2024 report)', () => {
  it.each([
    [3, 'Elite'],
    [1, 'Elite'],
    [0.99, 'High'],
    [1 / 7, 'High'],
    [0.1, 'Medium'],
    [1 / 30, 'Medium'],
    [0.03, 'Low'],
    [0, 'Low'],
  ] as const)('deployment frequency %d a day → %s', (perDay, band) => {
    // GIVEN a rate WHEN banded THEN the first level reached wins
    expect(frequencyBand(t2024, perDay)).toBe(band);
  });

  it.each([
    [23 * HOUR, 'Elite'],
    [DAY, 'High'],
    [6 * DAY, 'High'],
    [7 * DAY, 'Medium'],
    [29 * DAY, 'Medium'],
    [30 * DAY, 'Low'],
  ] as const)('lead time %i ms → %s', (ms, band) => {
    // GIVEN a median lead time WHEN banded THEN bounds are exclusive ("less than one day")
    expect(durationBand(t2024.leadTime, ms)).toBe(band);
  });

  it.each([
    [0.59 * HOUR, 'Elite'],
    [HOUR, 'High'],
    [23 * HOUR, 'High'],
    [DAY, 'Low'],
  ] as const)('time to restore %i ms → %s', (ms, band) => {
    // GIVEN a median restore time WHEN banded THEN 2024's medium (also "less than one day") is never reached before high
    expect(durationBand(t2024.timeToRestore, ms)).toBe(band);
  });

  it.each([
    [0, 'Elite', 'Elite'],
    [0.07, 'Elite', 'Elite'],
    [0.08, 'Medium', 'High'],
    [0.15, 'High', 'Medium'],
    [0.3, 'High', 'Medium'],
    [0.31, 'Low', 'Medium'],
    [0.5, 'Low', 'Low'],
  ] as const)('change failure rate %d → %s (2024), %s (2023)', (ratio, band2024, band2023) => {
    // GIVEN a rate WHEN banded THEN the nearest reported cluster value wins, ties to the better band
    expect([changeFailureBand(t2024, ratio), changeFailureBand(t2023, ratio)]).toEqual([band2024, band2023]);
  });
});
