import { describe, expect, it } from 'vitest';
import { resolveVariables } from './variables.js';

const vars = {
  SourceVariables: { CommitId: 'abc123', BranchName: 'main', CommitMessage: 'fix $(touch pwned)' },
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
      // GIVEN a configuration with references WHEN they are resolved as text
      const got = resolveVariables(c.given, vars);
      // THEN values are substituted and unknown ones listed
      expect(got.value).toEqual(c.value);
      expect(got.missing).toEqual(c.missing);
    });
  }
});

describe('resolveVariables in shell mode', () => {
  const MSG = '"${SLIPWAY_VAR_SourceVariables_CommitMessage}"';
  const cases: { name: string; given: string; value: string; missing?: string[] }[] = [
    { name: 'a bare reference becomes a double-quoted variable', given: 'echo #{SourceVariables.CommitMessage} > out', value: `echo ${MSG} > out` },
    { name: 'inside double quotes, the variable alone', given: 'echo "msg: #{SourceVariables.CommitMessage}!"', value: 'echo "msg: ${SLIPWAY_VAR_SourceVariables_CommitMessage}!"' },
    { name: 'inside single quotes, the quote is closed around it', given: "echo 'msg: #{SourceVariables.CommitMessage}!'", value: `echo 'msg: '${MSG}'!'` },
    { name: 'a backslash inside single quotes does not escape the closing quote', given: "echo 'a\\' #{SourceVariables.BranchName}", value: `echo 'a\\' "\${SLIPWAY_VAR_SourceVariables_BranchName}"` },
    { name: 'an escaped quote does not open a quoted string', given: 'echo \\" #{SourceVariables.BranchName}', value: 'echo \\" "${SLIPWAY_VAR_SourceVariables_BranchName}"' },
    { name: 'an escaped double quote inside double quotes does not close it', given: 'echo "a\\" #{SourceVariables.BranchName}"', value: 'echo "a\\" ${SLIPWAY_VAR_SourceVariables_BranchName}"' },
    { name: 'a single quote inside double quotes is an ordinary character', given: `echo "it's #{SourceVariables.BranchName}"`, value: `echo "it's \${SLIPWAY_VAR_SourceVariables_BranchName}"` },
    { name: 'action names become environment-safe names', given: './smoke.sh #{build.IMAGE_TAG}', value: './smoke.sh "${SLIPWAY_VAR_build_IMAGE_TAG}"' },
    { name: 'an unknown reference is reported and kept as written', given: 'echo #{build.NOPE}', value: 'echo #{build.NOPE}', missing: ['build.NOPE'] },
    { name: 'shell syntax of the command itself is kept', given: 'test -n "$HOME" && echo $(date) #{SourceVariables.CommitId}', value: 'test -n "$HOME" && echo $(date) "${SLIPWAY_VAR_SourceVariables_CommitId}"' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      // GIVEN a command with references WHEN it is resolved as shell code
      const got = resolveVariables(c.given, vars, { quote: 'shell' });
      // THEN each reference is an environment variable quoted for where it stands, and no value is pasted
      expect(got.value).toBe(c.value);
      expect(got.value).not.toContain('touch pwned');
      expect(got.missing).toEqual(c.missing ?? []);
      expect(got.ambiguous).toEqual([]);
    });
  }

  it('reports a reference whose environment variable another variable of a different value shares', () => {
    // GIVEN actions "smoke-test" and "smoke_test" both exporting URL
    const clash = { 'smoke-test': { URL: 'http://a' }, smoke_test: { URL: 'http://b' }, same: { X: '1' } };
    // WHEN a command refers to one of them THEN it is ambiguous (and a reference without a clash is not)
    expect(resolveVariables('curl #{smoke-test.URL} #{same.X}', clash, { quote: 'shell' }).ambiguous).toEqual(['smoke-test.URL']);
  });
});
