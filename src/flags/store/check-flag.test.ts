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
    ['a match on an object', flag({ rules: [{ percentage: 100, match: { plan: {} as unknown as string }, value: true }] }), ['rules[0].match.plan']],
  ])('%s', (_name, f, paths) => {
    expect(checkFlag(f).map((i) => i.path)).toEqual(paths);
  });
});
