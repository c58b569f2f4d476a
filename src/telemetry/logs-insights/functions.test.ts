import { describe, expect, it } from 'vitest';
import { executeQuery, type LogRecord } from './index.js';
import { ceilTime, floorTime } from './time-units.js';
import { compareValues, sortOrder, Timestamp } from './values.js';

const record: LogRecord = {
  timestampMs: Date.UTC(2024, 4, 17, 13, 47, 12, 345),
  message: '{"n": 7, "zero": 0, "neg": -2.5, "s": "  Mixed Case  ", "num": "12", "nul": null, "ok": true}',
  logStream: 'web/1',
  log: 'shop/web',
};

async function one(expr: string): Promise<unknown> {
  const result = await executeQuery(`fields ${expr} as v`, [record]);
  return result.rows[0]?.v;
}

describe('scalar functions and operators on edge values', () => {
  it.each([
    // GIVEN one record WHEN an expression is computed THEN its value is exactly this
    ['n / zero', null],
    ['n % zero', null],
    ['n + missing', null],
    ['n + num', 19],
    ['n ^ 2', 49],
    ['-neg', 2.5],
    ['abs(neg)', 2.5],
    ['ceil(neg)', -2],
    ['floor(neg)', -3],
    ['sqrt(neg)', null],
    ['log(zero)', null],
    ['greatest(missing, n, num)', 12],
    ['least(missing, n, num)', 7],
    ['greatest(missing)', null],
    ['strlen(missing)', null],
    ['trim(s)', 'Mixed Case'],
    ['ltrim(s)', 'Mixed Case  '],
    ['rtrim(s)', '  Mixed Case'],
    ['tolower(s)', '  mixed case  '],
    ['concat(missing, "a", n)', 'a7'],
    ['substr("abcdef", 2, 2)', 'cd'],
    ['substr("abcdef", -3)', 'abcdef'],
    ['substr("abcdef", 4, 99)', 'ef'],
    ['replace("a.b.c", ".", "")', 'abc'],
    ['strcontains(missing, "a")', 0],
    ['ispresent(nul)', 'false'],
    ['ispresent(ok)', 'true'],
    ['isempty("")', 'true'],
    ['isblank(s)', 'false'],
    ['coalesce(missing, nul, "x")', 'x'],
    ['datefloor(@timestamp, 1mo)', '2024-05-01 00:00:00.000'],
    ['datefloor(@timestamp, 1q)', '2024-04-01 00:00:00.000'],
    ['datefloor(@timestamp, 1y)', '2024-01-01 00:00:00.000'],
    ['datefloor(@timestamp, 1w)', '2024-05-16 00:00:00.000'],
    ['dateceil(@timestamp, 15m)', '2024-05-17 14:00:00.000'],
    ['bin(30s)', '2024-05-17 13:47:00.000'],
    ['bin(100ms)', '2024-05-17 13:47:12.300'],
    ['toMillis(fromMillis(5))', 5],
    ['5m', 300_000],
    ['@timestamp > "2024-05-17T00:00:00Z"', 'true'],
    ['@timestamp < fromMillis(0)', 'false'],
    ['"abc" < "abd"', 'true'],
    ['"after" >= 404', 'false'],
    ['"after" != 404', 'false'],
    ['num = 12', 'true'],
    ['num > 9', 'true'],
    ['missing = missing', 'false'],
    ['not (missing = 1)', 'true'],
  ])('%s → %j', async (expr, expected) => {
    expect(await one(expr)).toEqual(expected);
  });
});

describe('time periods', () => {
  it.each([
    // GIVEN a time and a period WHEN rounded THEN the UTC boundary
    [Date.UTC(2024, 10, 30, 5), 1, 'mo', Date.UTC(2024, 10, 1), Date.UTC(2024, 11, 1)],
    [Date.UTC(2024, 10, 30, 5), 2, 'mo', Date.UTC(2024, 10, 1), Date.UTC(2025, 0, 1)],
    [Date.UTC(2024, 0, 1), 1, 'y', Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 1)],
    [Date.UTC(2024, 0, 1, 0, 7), 5, 'm', Date.UTC(2024, 0, 1, 0, 5), Date.UTC(2024, 0, 1, 0, 10)],
  ] as const)('%i by %i%s', (time, amount, unit, floor, ceil) => {
    expect(floorTime(time, amount, unit)).toBe(floor);
    expect(ceilTime(time, amount, unit)).toBe(ceil);
  });
});

describe('value ordering', () => {
  it('compares numbers numerically, text by code unit, and puts text before numbers when sorting', () => {
    // GIVEN mixed values WHEN compared THEN the documented order
    expect(compareValues('10', 9)).toBe(1);
    expect(compareValues('b', 'a')).toBe(1);
    expect(compareValues(null, 1)).toBeNull();
    expect(compareValues(new Timestamp(5), 5)).toBe(0);
    expect(['10', 'b', 2, 'a', '9'].sort(sortOrder)).toEqual(['a', 'b', 2, '9', '10']);
  });
});
