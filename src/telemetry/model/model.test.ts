import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/index.js';
import { compileIngestLimits, type Attributes, isInWindow, isValidSpanId, isValidTraceId, serviceOf, timeWindowOf } from './index.js';

describe('ids', () => {
  it.each([
    { id: '5b8efff798038103d269b633813fc60c', trace: true, span: false },
    { id: 'eee19b7ec3c1b174', trace: false, span: true },
    { id: '0'.repeat(32), trace: false, span: false },
    { id: '0'.repeat(16), trace: false, span: false },
    { id: '5B8EFFF798038103D269B633813FC60C', trace: false, span: false },
    { id: 'zzz19b7ec3c1b174', trace: false, span: false },
  ])('$id: trace $trace, span $span', ({ id, trace, span }) => {
    // GIVEN an id WHEN checked THEN valid only as the right length of lowercase hex, not all zeros
    expect([isValidTraceId(id), isValidSpanId(id)]).toEqual([trace, span]);
  });
});

describe('ingest limits', () => {
  it('defaults to 10 MiB, 1 day ahead and 30 days back', () => {
    // GIVEN no options WHEN compiled THEN the documented defaults
    const { clock: _clock, ...rest } = compileIngestLimits();
    expect(rest).toEqual({ maxDecompressedBytes: 10_485_760, maxFutureSkewMs: 86_400_000, maxAgeMs: 2_592_000_000 });
  });

  it.each([
    { offsetMs: 0, inside: true },
    { offsetMs: 86_400_000, inside: true },
    { offsetMs: 86_400_001, inside: false },
    { offsetMs: -2_592_000_000, inside: true },
    { offsetMs: -2_592_000_001, inside: false },
  ])('a time $offsetMs ms from now is inside: $inside', ({ offsetMs, inside }) => {
    // GIVEN the default window at a fixed time WHEN a time is checked THEN the bounds are inclusive
    const nowMs = Date.UTC(2026, 0, 1);
    const window = timeWindowOf(compileIngestLimits({ clock: new ManualClock(nowMs) }));
    expect(isInWindow(nowMs + offsetMs, window)).toBe(inside);
  });
});

describe('serviceOf', () => {
  it.each([
    { resource: { 'service.name': 'cart' }, expected: 'cart' },
    { resource: { 'service.name': '' }, expected: 'unknown_service' },
    { resource: { 'service.name': 7 }, expected: 'unknown_service' },
    { resource: {}, expected: 'unknown_service' },
  ] as { resource: Attributes; expected: string }[])('$resource → $expected', ({ resource, expected }) => {
    // GIVEN resource attributes WHEN the service is read THEN service.name or unknown_service
    expect(serviceOf(resource)).toBe(expected);
  });
});
