import { describe, expect, it } from 'vitest';
import { formatJsonLocation, jsonPathMatches, parseJsonPath } from './json-path.js';
import { parseShadowIgnore } from './shadow-ignore.js';

const matches = (pattern: string, location: (string | number)[]): boolean => {
  const p = parseJsonPath(pattern);
  if (!p.ok) throw new Error(p.message);
  return jsonPathMatches(p.segments, location);
};

describe('JSON path patterns', () => {
  it.each([
    // GIVEN a pattern and a concrete location WHEN matched THEN it names exactly that location
    ['$', [], true],
    ['$.timestamp', ['timestamp'], true],
    ['$.timestamp', ['meta', 'timestamp'], false],
    ["$['a b'].c", ['a b', 'c'], true],
    ['$.items[2].id', ['items', 2, 'id'], true],
    ['$.items[2].id', ['items', 3, 'id'], false],
    ['$.items[*].id', ['items', 7, 'id'], true],
    ['$.*.id', ['x', 'id'], true],
    ['$..requestId', ['requestId'], true],
    ['$..requestId', ['a', 0, 'b', 'requestId'], true],
    ['$..requestId', ['requestId', 'x'], false],
    ['$..*', ['anything'], true],
  ] as const)('%s against %j → %s', (pattern, location, expected) => {
    expect(matches(pattern, [...location])).toBe(expected);
  });

  it.each([
    ['timestamp', 'it must start with $'],
    ['$.', 'expected a name after .'],
    ['$[x]', 'expected [*], [<index>]'],
    ['$.a[?(@.b)]', 'expected [*], [<index>]'],
    ['$.a b', 'unexpected " "'],
  ])('GIVEN %j WHEN parsed THEN it is refused saying %s', (text, why) => {
    const p = parseJsonPath(text);
    expect(p.ok).toBe(false);
    expect(p.ok ? '' : p.message).toContain(why);
  });

  it('formats locations as normalized paths', () => {
    expect(formatJsonLocation(['items', 3, 'price'])).toBe('$.items[3].price');
    expect(formatJsonLocation(["it's", 0])).toBe("$['it\\'s'][0]");
  });

  it('ignore entries are headers.<name> (lower-cased) or JSON paths; anything else is refused with the reason', () => {
    expect(parseShadowIgnore('headers.X-Request-Id')).toEqual({ kind: 'header', name: 'x-request-id' });
    expect(parseShadowIgnore('$.ts')).toMatchObject({ kind: 'json', path: '$.ts' });
    expect(parseShadowIgnore('headers.')).toMatchObject({ kind: 'invalid' });
    expect(parseShadowIgnore('timestamp')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('must start with $') as string });
  });
});
