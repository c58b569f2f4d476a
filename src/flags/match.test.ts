import { describe, expect, it } from 'vitest';
import type { FlagCondition } from '../shared/index.js';
import { matches, satisfies } from './match.js';

describe('satisfies', () => {
  it.each<[string, FlagCondition, unknown, boolean]>([
    // GIVEN a condition and an attribute value WHEN tested THEN whether it holds
    ['in: a listed value', { in: ['de', 'fr'] }, 'fr', true],
    ['in: an unlisted value', { in: ['de', 'fr'] }, 'nl', false],
    ['in: strict (1 is not "1")', { in: [1, 2] }, '1', false],
    ['notIn: an unlisted value', { notIn: ['de'] }, 'nl', true],
    ['notIn: a listed value', { notIn: ['de'] }, 'de', false],
    ['notIn: absent does not match', { notIn: ['de'] }, undefined, false],
    ['startsWith', { startsWith: 'ana@' }, 'ana@acme.io', true],
    ['startsWith: another prefix', { startsWith: 'bob@' }, 'ana@acme.io', false],
    ['endsWith', { endsWith: '@acme.io' }, 'ana@acme.io', true],
    ['endsWith: another suffix', { endsWith: '@acme.io' }, 'ana@acme.com', false],
    ['contains', { contains: 'WIN' }, 'PROMO-WINTER', true],
    ['contains: missing', { contains: 'WIN' }, 'PROMO-SUMMER', false],
    ['string operators need a string', { startsWith: '1' }, 12, false],
    ['gt', { gt: 18 }, 19, true],
    ['gt: equal is not greater', { gt: 18 }, 18, false],
    ['gte: equal', { gte: 18 }, 18, true],
    ['lt', { lt: 18 }, 17.5, true],
    ['lt: greater', { lt: 18 }, 18, false],
    ['lte: equal', { lte: 18 }, 18, true],
    ['numeric operators need a number ("19" is not)', { gt: 18 }, '19', false],
    ['a range: gte and lt together', { gte: 18, lt: 65 }, 40, true],
    ['a range: outside', { gte: 18, lt: 65 }, 70, false],
    ['semverEq ignores build metadata', { semverEq: '2.1.0' }, '2.1.0+build.7', true],
    ['semverGt', { semverGt: '2.1.0' }, '2.10.0', true],
    ['semverGt: a pre-release comes before its release', { semverGt: '2.1.0' }, '2.1.0-rc.1', false],
    ['semverGte: equal', { semverGte: '2.1.0' }, '2.1.0', true],
    ['semverGte: lower', { semverGte: '2.1.0' }, '2.0.9', false],
    ['semverLt', { semverLt: '2.0.0' }, '1.9.9', true],
    ['semverLte: equal', { semverLte: '2.0.0' }, '2.0.0', true],
    ['semver: not a version never matches', { semverGte: '1.0.0' }, 'latest', false],
    ['semver: not a string never matches', { semverGte: '1.0.0' }, 2, false],
    ['exists: present', { exists: true }, 'x', true],
    ['exists: false is present', { exists: true }, false, true],
    ['exists: absent', { exists: true }, undefined, false],
    ['exists: null is absent', { exists: true }, null, false],
    ['notExists: absent', { notExists: true }, undefined, true],
    ['notExists: present', { notExists: true }, 'x', false],
    ['any operator but notExists fails on an absent attribute', { lt: 10 }, undefined, false],
  ])('%s', (_name, condition, actual, expected) => {
    expect(satisfies(condition, actual)).toBe(expected);
  });
});

describe('matches', () => {
  it('mixes equality with conditions, all of which must hold', () => {
    const match = { plan: 'pro', country: { in: ['de', 'fr'] }, appVersion: { semverGte: '2.1.0' } };
    expect(matches(match, { plan: 'pro', country: 'de', appVersion: '2.1.3' })).toBe(true);
    expect(matches(match, { plan: 'free', country: 'de', appVersion: '2.1.3' })).toBe(false);
    expect(matches(match, { plan: 'pro', country: 'de', appVersion: '2.0.0' })).toBe(false);
    expect(matches({}, {})).toBe(true);
  });

  it('does not read attributes from the prototype of the context', () => {
    expect(matches({ toString: { exists: true as const } }, {})).toBe(false);
    expect(matches({ constructor: { notExists: true as const } }, {})).toBe(true);
  });
});
