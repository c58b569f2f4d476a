import type { SecretStore } from '../secrets/index.js';
import type { CompiledBuildspec } from './buildspec/index.js';

/** Variables resolved from secrets, and the values to mask. */
export interface ResolvedSecretEnv {
  readonly variables: Record<string, string>;
  readonly values: string[];
}

/**
 * Resolves `env.parameter-store` and `env.secrets-manager` from the store.
 * A missing secret or JSON key is an error (CodeBuild fails the build before
 * any phase runs, and so does slipway).
 */
export async function resolveSecretEnv(spec: CompiledBuildspec, store: SecretStore): Promise<ResolvedSecretEnv> {
  const variables: Record<string, string> = {};
  for (const [name, param] of Object.entries(spec.parameterStore)) {
    const value = await store.get(param);
    if (value === undefined) throw new Error(`env.parameter-store.${name}: no secret named "${param}"`);
    variables[name] = value;
  }
  for (const [name, ref] of Object.entries(spec.secretsManager)) {
    const value = await store.get(ref.secretId);
    if (value === undefined) throw new Error(`env.secrets-manager.${name}: no secret named "${ref.secretId}"`);
    if (ref.jsonKey === undefined) {
      variables[name] = value;
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new Error(`env.secrets-manager.${name}: secret "${ref.secretId}" is not JSON, so it has no key "${ref.jsonKey}"`);
    }
    const field = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)[ref.jsonKey] : undefined;
    if (field === undefined || field === null) throw new Error(`env.secrets-manager.${name}: secret "${ref.secretId}" has no key "${ref.jsonKey}"`);
    variables[name] = typeof field === 'string' ? field : JSON.stringify(field);
  }
  return { variables, values: Object.values(variables) };
}
