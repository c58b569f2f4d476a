import type { PipelineVariables } from './model.js';

/** The prefix of the environment variables that carry pipeline variables into commands. */
export const VARIABLE_ENV_PREFIX = 'SLIPWAY_VAR_';

/**
 * The environment variable that carries `#{<namespace>.<name>}` into invoke commands and builds:
 * `SLIPWAY_VAR_<namespace>_<name>`, case kept, every character other than a letter, a digit or
 * `_` replaced by `_` (an action named `smoke-test` exporting `URL` gives
 * `SLIPWAY_VAR_smoke_test_URL`).
 *
 * @example variableEnvName('SourceVariables', 'CommitMessage') // 'SLIPWAY_VAR_SourceVariables_CommitMessage'
 */
export function variableEnvName(namespace: string, name: string): string {
  return `${VARIABLE_ENV_PREFIX}${namespace}_${name}`.replace(/[^A-Za-z0-9_]/g, '_');
}

/** Result of {@link variableEnv}. */
export interface VariableEnv {
  /** One entry per environment variable name, pipeline variables' values as they are. */
  readonly env: Readonly<Record<string, string>>;
  /**
   * Names two variables with different values map to (`#{a-b.X}` and `#{a_b.X}`); they are left
   * out of `env`, and a command referring to one of them fails rather than reading the other's value.
   */
  readonly ambiguous: ReadonlySet<string>;
}

/**
 * Every pipeline variable as an environment variable (see {@link variableEnvName}), the way
 * CodeBuild hands a build its `CODEBUILD_*` values: commands read values from their environment,
 * so no value is ever part of the text a shell parses.
 */
export function variableEnv(variables: PipelineVariables): VariableEnv {
  const env: Record<string, string> = {};
  const ambiguous = new Set<string>();
  for (const [namespace, values] of Object.entries(variables)) {
    for (const [name, value] of Object.entries(values)) {
      // A secret kept as a reference is in the environment only once the run has read it from the store.
      if (typeof value !== 'string') continue;
      const key = variableEnvName(namespace, name);
      if (ambiguous.has(key)) continue;
      if (Object.hasOwn(env, key) && env[key] !== value) {
        ambiguous.add(key);
        delete env[key];
        continue;
      }
      env[key] = value;
    }
  }
  return { env, ambiguous };
}
