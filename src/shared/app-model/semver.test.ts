import { describe, expect, it } from 'vitest';
import { compareSemver, parseSemver } from './semver.js';

const order = (a: string, b: string): number => compareSemver(parseSemver(a)!, parseSemver(b)!);

describe('parseSemver', () => {
  it.each(['1.0.0', '0.0.0', '2.10.3', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-0.3.7', '1.0.0-x.7.z.92', '1.0.0+20130313144700', '1.0.0-beta+exp.sha.5114f85'])('accepts %s', (v) => {
    expect(parseSemver(v)).toBeDefined();
  });

  it.each(['1.0', 'v1.0.0', '01.0.0', '1.0.0-01', '1.0.0-', '1.0.0+', ' 1.0.0', '1.0.0 ', '1.2.3.4', '', '99999999999999999999.0.0', `1.0.0-${'a'.repeat(300)}`])('refuses %j', (v) => {
    expect(parseSemver(v)).toBeUndefined();
  });
});

describe('compareSemver', () => {
  it('orders the SemVer 2.0.0 specification example (§11) from lowest to highest', () => {
    // GIVEN the specification's list WHEN each is compared with the next THEN each comes before it
    const list = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.1', '1.1.0', '2.0.0', '2.1.0', '2.1.1', '10.0.0'];
    for (let i = 0; i + 1 < list.length; i++) {
      expect(order(list[i]!, list[i + 1]!), `${list[i]} < ${list[i + 1]}`).toBe(-1);
      expect(order(list[i + 1]!, list[i]!), `${list[i + 1]} > ${list[i]}`).toBe(1);
    }
  });

  it.each([
    ['1.0.0', '1.0.0', 0],
    ['1.0.0+build.1', '1.0.0+build.2', 0],
    ['2.1.0', '2.10.0', -1],
    ['1.0.0-2', '1.0.0-10', -1],
    ['1.0.0-1', '1.0.0-a', -1],
  ])('%s vs %s is %i', (a, b, expected) => {
    expect(order(a, b)).toBe(expected);
  });
});
