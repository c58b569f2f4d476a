import { secretField, type KnownSecret, type SecretStore } from '../secrets/index.js';
import type { CompiledBuildspec } from './buildspec/index.js';

/** Variables resolved from secrets, and the values to mask with where they came from. */
export interface ResolvedSecretEnv {
  readonly variables: Record<string, string>;
  readonly values: KnownSecret[];
}

/**
 * Resolves `env.parameter-store` and `env.secrets-manager` from the store.
 * A missing secret or JSON key is an error (CodeBuild fails the build before
 * any phase runs, and so does slipway).
 */
export async function resolveSecretEnv(spec: CompiledBuildspec, store: SecretStore): Promise<ResolvedSecretEnv> {
  const variables: Record<string, string> = {};
  const values: KnownSecret[] = [];
  for (const [name, param] of Object.entries(spec.parameterStore)) {
    const value = await store.get(param);
    if (value === undefined) throw new Error(`env.parameter-store.${name}: no secret named "${param}"`);
    variables[name] = value;
    values.push({ value, ref: { name: param } });
  }
  for (const [name, ref] of Object.entries(spec.secretsManager)) {
    const value = await store.get(ref.secretId);
    if (value === undefined) throw new Error(`env.secrets-manager.${name}: no secret named "${ref.secretId}"`);
    if (ref.jsonKey === undefined) {
      variables[name] = value;
      values.push({ value, ref: { name: ref.secretId } });
      continue;
    }
    try {
      JSON.parse(value);
    } catch {
      throw new Error(`env.secrets-manager.${name}: secret "${ref.secretId}" is not JSON, so it has no key "${ref.jsonKey}"`);
    }
    const field = secretField(value, ref.jsonKey);
    if (field === undefined) throw new Error(`env.secrets-manager.${name}: secret "${ref.secretId}" has no key "${ref.jsonKey}"`);
    variables[name] = field;
    values.push({ value: field, ref: { name: ref.secretId, key: ref.jsonKey } });
  }
  return { variables, values };
}
