import fc from 'fast-check';
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { foldIncludes, isAsciiLiteral } from './fold-includes.js';

describe('foldIncludes', () => {
  it.each([
    // GIVEN an ASCII literal and a text WHEN tested THEN the answer is RE2's (?i) answer, Kelvin sign and long s included
    { literal: 'error', text: 'an ERROR here', expected: true },
    { literal: 'ERROR', text: 'an eRrOr', expected: true },
    { literal: 'sk', text: '\u017f\u212a', expected: true },
    { literal: 'i', text: '\u0130\u0131', expected: false },
    { literal: 'a.b', text: 'aXb A.B', expected: true },
    { literal: 'abc', text: 'ab', expected: false },
    { literal: 'x', text: '', expected: false },
  ])('$literal in $text → $expected', ({ literal, text, expected }) => {
    expect(foldIncludes(literal)(text)).toBe(expected);
  });

  it('agrees with RE2 on random literals and texts', () => {
    // GIVEN random ASCII literals and texts with the characters whose case folding is special
    const literal = fc.string({ unit: fc.constantFrom('a', 'B', 'k', 'K', 's', 'S', 'i', '.', '-'), minLength: 1, maxLength: 4 });
    const text = fc.string({ unit: fc.constantFrom('a', 'A', 'b', 'B', 'k', 'K', '\u212a', 's', 'S', '\u017f', 'i', 'I', '\u0130', '\u0131', '.', '-'), maxLength: 14 });
    // WHEN both test THEN they agree
    fc.assert(
      fc.property(literal, text, (l, t) => {
        expect(foldIncludes(l)(t)).toBe(RE2JS.compile(RE2JS.quote(l), RE2JS.CASE_INSENSITIVE).test(t));
      }),
      { numRuns: 5000 },
    );
  });

  it('takes only printable ASCII', () => {
    expect([isAsciiLiteral('error 42!'), isAsciiLiteral('ошибка'), isAsciiLiteral('tab\there'), isAsciiLiteral('')]).toEqual([true, false, false, false]);
  });
});
