/**
 * Where builds read secrets from (`env.secrets-manager` and `env.parameter-store`
 * names in a buildspec). Async so a remote store can implement it.
 */
export interface SecretStore {
  /** The secret's value, or undefined when there is no such secret. */
  get(name: string): Promise<string | undefined>;
}

/** A {@link SecretStore} that can also be written to and listed. */
export interface ManagedSecretStore extends SecretStore {
  /** Creates or replaces a secret. */
  set(name: string, value: string): Promise<void>;
  /** Names of all secrets, sorted; never values. */
  list(): Promise<string[]>;
  /** Deletes a secret; returns whether it existed. */
  delete(name: string): Promise<boolean>;
}

/** Secret names: letters, digits and `/_+=.@-`, at most 512 characters (as in Secrets Manager). */
export const SECRET_NAME_PATTERN = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

/** A read-only store over a fixed map, for tests and one-off builds. */
export function staticSecretStore(values: Readonly<Record<string, string>>): SecretStore {
  const map = new Map(Object.entries(values));
  return { get: (name) => Promise.resolve(map.get(name)) };
}
