import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGlob } from './compile-glob.js';
import { compilePattern, MAX_PATTERN_PROGRAM_SIZE, PatternError } from './compile-pattern.js';
import { unsupportedFeature } from './unsupported-feature.js';

function errorOf(source: string, flags = ''): PatternError {
  try {
    compilePattern(source, flags);
  } catch (error) {
    if (error instanceof PatternError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(source)} not to compile`);
}

describe('unsupportedFeature', () => {
  const cases: { source: string; flags?: string; index: number; detail: RegExp }[] = [
    { source: '(a+)\\1', index: 4, detail: /^backreference '\\1' is not supported: patterns run on a linear-time engine \(RE2 semantics\), without backreferences$/ },
    { source: '(?<w>a)\\k<w>', index: 7, detail: /^named backreference '\\k' is not supported/ },
    { source: 'a(?=b)', index: 1, detail: /^lookahead '\(\?=' is not supported: .*without lookaround$/ },
    { source: 'a(?!b)', index: 1, detail: /^lookahead '\(\?!' is not supported/ },
    { source: '(?<=a)b', index: 0, detail: /^lookbehind '\(\?<=' is not supported/ },
    { source: 'x(?<!a)b', index: 1, detail: /^lookbehind '\(\?<!' is not supported/ },
    { source: '\\Afoo', index: 0, detail: /^the escape '\\A' is not supported \(RE2 reads it differently\); write 'A' without the backslash$/ },
    { source: 'foo\\z', index: 3, detail: /^the escape '\\z'/ },
    { source: '\\Q.\\E', index: 0, detail: /^the escape '\\Q'/ },
    { source: '\\p{L}', index: 0, detail: /^the escape '\\p' needs the u flag/ },
    { source: '\\u{41}', index: 0, detail: /^the escape '\\u\{…\}' needs the u flag/ },
    { source: '\\c1', index: 0, detail: /^the escape '\\c' must be followed by a letter/ },
  ];

  it.each(cases)('$source → $detail', ({ source, flags, index, detail }) => {
    // GIVEN a JavaScript construct RE2 lacks or reads differently WHEN checked THEN it is named at its offset
    const found = unsupportedFeature(source, flags ?? '');
    expect(found?.index).toBe(index);
    expect(found?.detail).toMatch(detail);
  });

  const fine: { source: string; flags?: string }[] = [
    { source: 'a[(?=]b' },
    { source: '\\(\\?=x\\)' },
    { source: '[\\1-\\k]' },
    { source: '(?<name>\\d+)-(?:x|y)' },
    { source: '\\p{L}+', flags: 'u' },
    { source: '\\u{1F600}', flags: 'u' },
    { source: '\\cJ\\x41\\u0041\\0\\d\\w\\s\\b' },
  ];

  it.each(fine)('accepts $source', ({ source, flags }) => {
    // GIVEN constructs both engines read alike (or look-alikes that are escaped or in a class) WHEN checked THEN nothing is found
    expect(unsupportedFeature(source, flags ?? '')).toBeUndefined();
  });
});

describe('compilePattern', () => {
  it('matches the pathological (a+)+$ in time linear in the text', () => {
    // GIVEN the pattern that backtracks exponentially in JavaScript and 100 000 a's and a '!'
    const text = `${'a'.repeat(100_000)}!`;
    // WHEN matched THEN it answers (false: the text does not end in a's) without backtracking
    const started = performance.now();
    expect(compilePattern('(a+)+$', '').test(text)).toBe(false);
    expect(compilePattern('(a+)+$', '').test('aaa')).toBe(true);
    // A generous bound: exponential backtracking would need longer than the universe's age.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('extracts named groups by their number, after unnamed ones', () => {
    // GIVEN a pattern with an unnamed group before named ones WHEN matched THEN each name gets its own group
    const p = compilePattern('(GET|POST) (?<path>\\S+) (?<status>\\d+)?', '');
    expect([...p.namedGroups]).toEqual([['path', 2], ['status', 3]]);
    expect(p.firstMatch('x GET /a 200')).toEqual(['GET /a 200', 'GET', '/a', '200']);
    expect(p.firstMatch('POST /b x')).toEqual(['POST /b ', 'POST', '/b', null]);
    expect(p.firstMatch('PUT /c')).toBeNull();
  });

  it.each([
    // GIVEN JavaScript spellings RE2 has another spelling for WHEN compiled THEN they keep their JavaScript meaning
    { source: '\\u0041\\x42', flags: '', text: 'zAB', expected: true },
    { source: '[^]', flags: '', text: '\n', expected: true },
    { source: 'a\\/b[/]', flags: '', text: 'a/b/', expected: true },
    { source: '\\cJ', flags: '', text: 'x\ny', expected: true },
    { source: 'ERROR', flags: 'i', text: 'an error', expected: true },
    { source: '^b$', flags: 'm', text: 'a\nb\nc', expected: true },
    { source: '^b$', flags: '', text: 'a\nb\nc', expected: false },
    { source: 'a.b', flags: 's', text: 'a\nb', expected: true },
    { source: 'a.b', flags: '', text: 'a\nb', expected: false },
    { source: 'error', flags: '', text: 'an ERROR', expected: false },
  ])('/$source/$flags on $text → $expected', ({ source, flags, text, expected }) => {
    expect(compilePattern(source, flags).test(text)).toBe(expected);
  });

  it('refuses unsupported constructs, RE2 syntax errors and oversized programs, saying which', () => {
    // GIVEN a backreference WHEN compiled THEN it is refused as unsupported, at its offset
    expect(errorOf('(a)\\1')).toMatchObject({ unsupported: true, index: 3 });
    // GIVEN what JavaScript accepts but RE2 cannot run WHEN compiled THEN RE2's reason, no offset
    expect(errorOf('a{1001}')).toMatchObject({ unsupported: false, index: undefined, detail: 'invalid repeat count: `{1001}`' });
    // GIVEN a pattern whose program passes the limit WHEN compiled THEN the size and the limit are named
    const big = errorOf('a{999}|b{999}|c{999}');
    expect(big.unsupported).toBe(false);
    expect(big.detail).toMatch(new RegExp(`^it compiles to \\d+ instructions, more than the ${MAX_PATTERN_PROGRAM_SIZE} allowed`));
  });

  it('answers like JavaScript on every pattern both engines run (random patterns and texts)', () => {
    // GIVEN random patterns without lookaround or backreferences, and random texts over a small alphabet
    const atom = fc.constantFrom('a', 'b', '.', '[ab]', '[^a]', '\\d', '\\w', '\\s', '\\b', '^', '$', '(a|b)', '(?:ab)', '(?<n>a+)');
    const piece = fc.tuple(atom, fc.constantFrom('', '*', '+', '?', '{1,2}', '*?', '+?')).map(([a, q]) => (a === '^' || a === '$' || a === '\\b' ? a : a + q));
    const pattern = fc.array(piece, { minLength: 1, maxLength: 6 }).map((xs) => xs.join(''));
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '1', ' ', '-'), maxLength: 12 });
    // WHEN both engines test them THEN they agree, and the first match and its groups are the same
    fc.assert(
      fc.property(pattern, fc.constantFrom('', 'i', 'm', 's'), text, (source, flags, t) => {
        // A group name twice is an error in both engines.
        fc.pre(source.split('(?<n>').length <= 2);
        const p = compilePattern(source, flags);
        const js = new RegExp(source, flags);
        expect(p.test(t)).toBe(js.test(t));
        expect(p.firstMatch(t)?.[0] ?? null).toBe(js.exec(t)?.[0] ?? null);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('compileGlob', () => {
  it.each([
    // GIVEN a glob WHEN matched THEN each * takes as little as it can, a trailing * the rest, and the rest is literal
    { glob: '* [*] *', text: 'INFO [main.go] started (2 s)\nmore', expected: ['INFO', 'main.go', 'started (2 s)\nmore'] },
    { glob: 'user=* took *ms', text: 'GET user=u1 took 15ms ok', expected: ['u1', '15'] },
    { glob: '(*).*$', text: 'a (b).c$ d', expected: ['b', 'c'] },
  ])('$glob', ({ glob, text, expected }) => {
    expect(compileGlob(glob).firstMatch(text)?.slice(1)).toEqual(expected);
  });
});
