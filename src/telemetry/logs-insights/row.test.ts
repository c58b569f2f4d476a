import { describe, expect, it } from 'vitest';
import { discoverJsonFields } from './row.js';

/** A JSON log line `{"level":"info","a":{"a":...{"leaf":1}}}`, `levels` objects under `a`. */
function deepLine(levels: number): string {
  return '{"level":"info","a":' + '{"a":'.repeat(levels - 1) + '{"leaf":1}' + '}'.repeat(levels - 1) + '}';
}

describe('discoverJsonFields', () => {
  it.each([
    // GIVEN a line whose deepest member is at the limit THEN it is discovered
    { levels: 63, leaf: `a${'.a'.repeat(62)}.leaf`, found: true },
    // GIVEN one level more THEN that member is not discovered
    { levels: 64, leaf: `a${'.a'.repeat(63)}.leaf`, found: false },
    // GIVEN a task printing a line nested 50 000 levels deep THEN no stack overflow, shallow members still found
    { levels: 50_000, leaf: undefined, found: false },
  ])('a line $levels levels deep', ({ levels, leaf, found }) => {
    // WHEN its members are discovered
    const fields = discoverJsonFields(deepLine(levels));
    // THEN the top-level members are there and deep ones only within the limit
    expect(fields.get('level')).toBe('info');
    if (leaf !== undefined) expect(fields.has(leaf)).toBe(found);
  });
});
