import { describe, expect, it } from 'vitest';
import { matchesTagPattern, tagMatcher } from './tag-match.js';

describe('matchesTagPattern', () => {
  it('treats * as any run of characters, anchored at both ends', () => {
    expect(matchesTagPattern('prod*', 'prod')).toBe(true);
    expect(matchesTagPattern('prod*', 'prod-12')).toBe(true);
    expect(matchesTagPattern('prod*', 'preprod-1')).toBe(false);
    expect(matchesTagPattern('*-rc*', 'v1.2-rc3')).toBe(true);
    expect(matchesTagPattern('*test*1*2*', 'a-test-x1-y2-z')).toBe(true);
    expect(matchesTagPattern('*test*1*2*', 'a-test-x2-y1-z')).toBe(false);
    expect(matchesTagPattern('a*a', 'a')).toBe(false);
    expect(matchesTagPattern('latest', 'latest')).toBe(true);
    expect(matchesTagPattern('latest', 'latest-1')).toBe(false);
  });

  it('needs every prefix or pattern to match one of the tags', () => {
    expect(tagMatcher(['alpha', 'beta'], undefined)(['alpha-1', 'beta-1'])).toBe(true);
    expect(tagMatcher(['alpha', 'beta'], undefined)(['alpha-1'])).toBe(false);
    expect(tagMatcher(undefined, ['v*', '*-lts'])(['v2', 'x-lts'])).toBe(true);
  });
});
