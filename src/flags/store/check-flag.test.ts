import { describe, expect, it } from 'vitest';
import type { ResolvedFlag } from '../../shared/index.js';
import { checkFlag } from './check-flag.js';

const flag = (f: Partial<ResolvedFlag>): ResolvedFlag => ({ key: 'f', defaultValue: false, variants: undefined, rules: [], description: undefined, ...f });

describe('checkFlag', () => {
  it.each<[string, ResolvedFlag, string[]]>([
    // GIVEN a definition WHEN checked THEN the paths of its problems
    ['a valid boolean split', flag({ rules: [{ percentage: 10, match: { plan: 'pro' }, value: true }] }), []],
    ['a valid variant flag', flag({ defaultValue: 'off', variants: { off: 1, on: 2 }, rules: [{ percentage: 100, match: {}, value: 'on' }] }), []],
    ['a key the model refuses', flag({ key: '1st flag' }), ['key']],
    ['a non-finite default', flag({ defaultValue: Number.NaN }), ['defaultValue']],
    ['an undeclared default variant', flag({ defaultValue: 'gone', variants: { on: 1 } }), ['defaultValue']],
    ['a rule value of another type', flag({ rules: [{ percentage: 100, match: {}, value: 'yes' }] }), ['rules[0].value']],
    ['a rule naming no variant', flag({ defaultValue: 'off', variants: { off: 1 }, rules: [{ percentage: 100, match: {}, value: 'on' }] }), ['rules[0].value']],
    ['a negative percentage', flag({ rules: [{ percentage: -1, match: {}, value: true }] }), ['rules[0].percentage']],
    ['an empty condition', flag({ rules: [{ percentage: 100, match: { plan: {} }, value: true }] }), ['rules[0].match.plan']],
    ['a match on a list', flag({ rules: [{ percentage: 100, match: { plan: ['pro'] as unknown as string }, value: true }] }), ['rules[0].match.plan']],
    ['valid operators', flag({ rules: [{ percentage: 100, match: { c: { in: ['de'] }, v: { semverGte: '2.1.0' }, n: { gte: 1, lt: 5 }, e: { endsWith: '.io' }, x: { exists: true } }, value: true }] }), []],
    ['an unknown operator', flag({ rules: [{ percentage: 100, match: { c: { equals: 'de' } as never }, value: true }] }), ['rules[0].match.c.equals']],
    ['an operand of the wrong type', flag({ rules: [{ percentage: 100, match: { n: { gt: '3' } as never, c: { in: [] } }, value: true }] }), ['rules[0].match.n.gt', 'rules[0].match.c.in']],
    ['an in list holding an object', flag({ rules: [{ percentage: 100, match: { c: { in: ['de', {}] } as never }, value: true }] }), ['rules[0].match.c.in[1]']],
    ['a bad semver', flag({ rules: [{ percentage: 100, match: { v: { semverLt: 'v2' } }, value: true }] }), ['rules[0].match.v.semverLt']],
    ['exists and notExists together', flag({ rules: [{ percentage: 100, match: { v: { exists: true, notExists: true } }, value: true }] }), ['rules[0].match.v']],
    ['a segment the app model does not declare', flag({ rules: [{ percentage: 100, match: {}, segment: { name: 'beta' }, value: true }] }), ['rules[0].segment']],
    ['a segment with a bad condition', flag({ rules: [{ percentage: 100, match: {}, segment: { name: 'beta', match: { v: { semverGt: 2 } as never } }, value: true }] }), ['rules[0].segment.match.v.semverGt']],
    ['a stickiness that is no attribute name', flag({ rules: [{ percentage: 10, match: {}, stickiness: 'account id', value: true }] }), ['rules[0].stickiness']],
  ])('%s', (_name, f, paths) => {
    expect(checkFlag(f).map((i) => i.path)).toEqual(paths);
  });
});
