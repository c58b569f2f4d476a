import { describe, expect, it } from 'vitest';
import { resolveVariables } from './variables.js';

const vars = {
  SourceVariables: { CommitId: 'abc123', BranchName: 'main' },
  build: { IMAGE_TAG: 'v7', EMPTY: '' },
};

describe('resolveVariables', () => {
  const cases: { name: string; given: unknown; value: unknown; missing: string[] }[] = [
    { name: 'source variables', given: 'deploy #{SourceVariables.CommitId} from #{SourceVariables.BranchName}', value: 'deploy abc123 from main', missing: [] },
    { name: 'an action\'s exported variable', given: { command: './smoke.sh #{build.IMAGE_TAG}' }, value: { command: './smoke.sh v7' }, missing: [] },
    { name: 'an empty value is a value', given: 'x#{build.EMPTY}y', value: 'xy', missing: [] },
    { name: 'unknown references are reported and kept', given: ['#{build.NOPE}', '#{Other.X} #{Other.X}'], value: ['#{build.NOPE}', '#{Other.X} #{Other.X}'], missing: ['Other.X', 'build.NOPE'] },
    { name: 'non-strings and shell syntax pass through', given: { n: 3, b: true, u: undefined, s: '${HOME} #{incomplete' }, value: { n: 3, b: true, u: undefined, s: '${HOME} #{incomplete' }, missing: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      // GIVEN a configuration with references WHEN they are resolved
      const got = resolveVariables(c.given, vars);
      // THEN values are substituted and unknown ones listed
      expect(got.value).toEqual(c.value);
      expect(got.missing).toEqual(c.missing);
    });
  }
});
