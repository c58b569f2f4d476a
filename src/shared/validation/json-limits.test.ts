import { describe, expect, it } from 'vitest';
import { findJsonLimitViolation, type JsonLimits, type JsonLimitViolation } from './json-limits.js';

/** `[[[ ... ]]]`, `levels` arrays deep, with `leaf` inside. */
function arrays(levels: number, leaf: unknown = 0): unknown {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

interface Case {
  readonly name: string;
  readonly value: unknown;
  readonly limits: JsonLimits;
  readonly expected: JsonLimitViolation | undefined;
}

const cases: Case[] = [
  { name: 'a scalar', value: 'x', limits: { maxDepth: 1 }, expected: undefined },
  { name: 'an object exactly at the depth limit', value: { a: { b: 1 } }, limits: { maxDepth: 2 }, expected: undefined },
  {
    name: 'an object one level past the depth limit',
    value: { a: { b: { c: 1 } } },
    limits: { maxDepth: 2 },
    expected: { limit: 'depth', max: 2, issue: { path: 'body.a.b', message: 'nested deeper than 2 levels (the limit)' } },
  },
  {
    name: 'arrays count as levels, indexes in brackets',
    value: { list: [1, [2, [3]]] },
    limits: { maxDepth: 3 },
    expected: { limit: 'depth', max: 3, issue: { path: 'body.list[1][1]', message: 'nested deeper than 3 levels (the limit)' } },
  },
  {
    name: 'the first offending path in document order',
    value: { ok: { fine: 1 }, deep: { x: { y: 1 } }, deeper: { x: { y: { z: 1 } } } },
    limits: { maxDepth: 2 },
    expected: { limit: 'depth', max: 2, issue: { path: 'body.deep.x', message: 'nested deeper than 2 levels (the limit)' } },
  },
  { name: 'exactly the most values', value: [1, 2, 3], limits: { maxValues: 4 }, expected: undefined },
  {
    name: 'one value too many',
    value: [1, 2, 3, 4],
    limits: { maxValues: 4 },
    expected: { limit: 'values', max: 4, issue: { path: 'body[3]', message: 'has more than 4 values (the limit)' } },
  },
  { name: 'a Buffer is one value, not its bytes', value: { b: Buffer.alloc(1000) }, limits: { maxValues: 2 }, expected: undefined },
];

describe('findJsonLimitViolation', () => {
  it.each(cases)('$name', ({ value, limits, expected }) => {
    // GIVEN a value and limits WHEN checked THEN the first limit broken is named, with its path
    expect(findJsonLimitViolation(value, 'body', limits)).toEqual(expected);
  });

  it('walks a value nested 200 000 levels deep without exhausting the stack', () => {
    // GIVEN arrays far deeper than any recursion could go
    const value = arrays(200_000);
    // WHEN checked against the defaults, and against a depth of 10
    // THEN the level past the limit is reported, with its path
    expect(findJsonLimitViolation(value, '')).toMatchObject({ limit: 'depth', max: 64, issue: { message: 'nested deeper than 64 levels (the limit)' } });
    expect(findJsonLimitViolation(value, '', { maxDepth: 10 })?.issue.path).toBe('[0]'.repeat(10));
  });

  it('shortens a very long path, keeping both ends', () => {
    // GIVEN a value whose offending path is long because of a long key
    const key = 'k'.repeat(1000);
    // WHEN checked THEN the path keeps its start and end around an ellipsis
    const path = findJsonLimitViolation({ [key]: { x: [1] } }, 'body', { maxDepth: 2 })?.issue.path ?? '';
    expect(path.length).toBeLessThanOrEqual(161);
    expect(path.startsWith('body.kkk')).toBe(true);
    expect(path.endsWith('kkk.x')).toBe(true);
    expect(path).toContain('…');
  });
});
