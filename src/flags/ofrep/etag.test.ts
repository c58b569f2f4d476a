import { describe, expect, it } from 'vitest';
import { etagOf, ifNoneMatchMatches } from './etag.js';

describe('etagOf', () => {
  it('is a quoted tag that changes exactly when the body does', () => {
    const a = etagOf({ flags: [{ key: 'f', value: true }] });
    expect(a).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    expect(etagOf({ flags: [{ key: 'f', value: true }] })).toBe(a);
    expect(etagOf({ flags: [{ key: 'f', value: false }] })).not.toBe(a);
  });
});

describe('ifNoneMatchMatches', () => {
  const tag = '"abc"';
  it.each<[string | string[] | undefined, boolean]>([
    // GIVEN an If-None-Match header THEN whether it names the current tag
    [undefined, false],
    ['', false],
    ['"abc"', true],
    ['"old"', false],
    ['"old", "abc"', true],
    ['W/"abc"', true],
    ['*', true],
    [['"old"', '"abc"'], true],
    ['abc', false],
  ])('%j → %s', (header, want) => {
    expect(ifNoneMatchMatches(header, tag)).toBe(want);
  });
});
