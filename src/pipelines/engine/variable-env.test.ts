import { describe, expect, it } from 'vitest';
import { variableEnv, variableEnvName } from './variable-env.js';

describe('variableEnvName', () => {
  const cases: [string, string, string][] = [
    ['SourceVariables', 'CommitMessage', 'SLIPWAY_VAR_SourceVariables_CommitMessage'],
    ['codepipeline', 'PipelineExecutionId', 'SLIPWAY_VAR_codepipeline_PipelineExecutionId'],
    ['smoke-test', 'URL', 'SLIPWAY_VAR_smoke_test_URL'],
    ['deploy@prod.eu', 'a.b', 'SLIPWAY_VAR_deploy_prod_eu_a_b'],
  ];
  for (const [ns, name, expected] of cases) {
    it(`#{${ns}.${name}} is ${expected}`, () => {
      // GIVEN a namespace and a name WHEN mapped THEN the result is a name every shell can expand
      expect(variableEnvName(ns, name)).toBe(expected);
      expect(expected).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
    });
  }
});

describe('variableEnv', () => {
  it('carries every value as it is, and leaves out names two different values map to', () => {
    // GIVEN variables, two of which map to one name with different values, two to one name with the same value
    const got = variableEnv({
      SourceVariables: { CommitMessage: "fix $(touch pwned)\n'", BranchName: '' },
      'a-b': { X: '1', Y: 'same' },
      a_b: { X: '2', Y: 'same' },
    });
    // THEN values are untouched, the clash is reported, and agreeing duplicates are kept
    expect(got.env).toEqual({ SLIPWAY_VAR_SourceVariables_CommitMessage: "fix $(touch pwned)\n'", SLIPWAY_VAR_SourceVariables_BranchName: '', SLIPWAY_VAR_a_b_Y: 'same' });
    expect([...got.ambiguous]).toEqual(['SLIPWAY_VAR_a_b_X']);
  });
});
