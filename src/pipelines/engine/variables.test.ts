import { describe, expect, it } from 'vitest';
import { staticSecretStore } from '../secrets/index.js';
import { displayVariables, referencedVariables, resolveVariables, revealVariables } from './variables.js';

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

describe('pipeline variables holding secrets', () => {
  const stored = {
    SourceVariables: { CommitId: 'abc123' },
    build: { IMAGE_TAG: 'v7', TOKEN: { parts: [{ secretRef: 'ci/token', encoding: 'plain' as const }] }, URL: { parts: ['https://ci:', { secretRef: 'ci/token', encoding: 'url' as const }, '@git'] }, LOST: { masked: 'x=***' } },
  };
  const store = staticSecretStore({ 'ci/token': 'tok en' });

  it('are shown as *** where the secret is', () => {
    // GIVEN stored variables WHEN displayed THEN secrets read *** and the rest is kept
    expect(resolveVariables('#{build.IMAGE_TAG} #{build.TOKEN} #{build.URL} #{build.LOST}', displayVariables(stored)).value).toBe('v7 *** https://ci:***@git x=***');
  });

  const reveals: { name: string; config: unknown; value: unknown; unavailable: [string, string][] }[] = [
    { name: 'a reference to a secret variable reads the store', config: { command: 'push #{build.URL} #{build.TOKEN}' }, value: { command: 'push https://ci:tok%20en@git tok en' }, unavailable: [] },
    { name: 'a variable whose value was not kept is unavailable, with why', config: '#{build.LOST}', value: '#{build.LOST}', unavailable: [['build.LOST', 'it held a secret in a form that is not kept (only its masked text is)']] },
    { name: 'secret variables not referenced are not read', config: '#{SourceVariables.CommitId}', value: 'abc123', unavailable: [] },
  ];
  it('does not read the store for secret variables nobody references', async () => {
    // GIVEN a store that fails every read WHEN only a plain variable is referenced THEN nothing is read
    const broken = { get: () => Promise.reject(new Error('store down')) };
    const revealed = await revealVariables(stored, broken, new Set(['SourceVariables.CommitId']));
    expect(revealed.values.build).toEqual({ IMAGE_TAG: 'v7' });
    await expect(revealVariables(stored, broken, new Set(['build.TOKEN']))).rejects.toThrow('store down');
  });

  for (const c of reveals) {
    it(c.name, async () => {
      // GIVEN a configuration WHEN its referenced variables are revealed and resolved
      const revealed = await revealVariables(stored, store, referencedVariables(c.config));
      // THEN the real values are substituted and the unavailable ones say why
      expect(resolveVariables(c.config, revealed.values).value).toEqual(c.value);
      expect([...revealed.unavailable]).toEqual(c.unavailable);
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
