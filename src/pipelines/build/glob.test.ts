import { describe, expect, it } from 'vitest';
import { globMatcher } from './glob.js';
import { parseJunitXml } from './reports/parse-junit.js';

describe('globMatcher', () => {
  // GIVEN a buildspec glob and a path WHEN matched THEN the result is as CodeBuild selects files
  const cases: [string, string, boolean][] = [
    ['**/*', 'a.txt', true],
    ['**/*', 'a/b/c.txt', true],
    ['*.js', 'a.js', true],
    ['*.js', 'lib/a.js', false],
    ['dist/**/*.js', 'dist/a.js', true],
    ['dist/**/*.js', 'dist/x/y/a.js', true],
    ['dist/**/*.js', 'src/a.js', false],
    ['./out/?.txt', 'out/a.txt', true],
    ['out/?.txt', 'out/ab.txt', false],
    ['a+b(1).txt', 'a+b(1).txt', true],
  ];
  it.each(cases)('%s matches %s: %s', (glob, file, expected) => {
    expect(globMatcher(glob).test(file)).toBe(expected);
  });

  it('matches a glob with many wildcards against a long branch name in linear time', () => {
    // GIVEN a trigger glob with seven wildcards and a pushed branch name of 120 a's
    // (on the backtracking engine, 100 a's took 27 s; 120, over a minute)
    const started = performance.now();
    // WHEN matched THEN the answer comes at once
    expect(globMatcher('*a*a*a*a*a*a*b').test('a'.repeat(120))).toBe(false);
    expect(globMatcher('**a**a**a**a**a**a**b').test('a/'.repeat(120))).toBe(false);
    expect(globMatcher('*a*a*a*a*a*a*b').test(`${'a'.repeat(120)}b`)).toBe(true);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('parseJunitXml', () => {
  it('falls back to suite attributes when there are no test cases, and decodes entities', () => {
    // GIVEN suites without cases WHEN parsed THEN their attributes are summed
    expect(parseJunitXml('<testsuites><testsuite tests="5" failures="1" errors="0" skipped="2" time="1.5"/><testsuite tests="1" failures="0" errors="1" time="0.5"></testsuite></testsuites>')).toEqual({
      tests: 6, failures: 1, errors: 1, skipped: 2, durationMs: 2000, cases: [],
    });
    expect(parseJunitXml('<testsuite><testcase name="a &amp; b" classname="k"><failure message="x &lt; y"/></testcase></testsuite>').cases).toEqual([
      { name: 'a & b', className: 'k', status: 'Failed', durationMs: 0, message: 'x < y' },
    ]);
    expect(() => parseJunitXml('<html/>')).toThrow('not a JUnit XML report');
  });
});
