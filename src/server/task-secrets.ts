import type { SecretVersions } from '../deployments/index.js';
import { MASK, SecretPatterns, maskSecrets, secretForms, type SqliteSecretStore } from '../pipelines/index.js';
import type { TaskSecrets } from '../runtime/index.js';
import { SlipwayError } from '../shared/index.js';

/** The current version of each secret, from the store (what deployments pin). */
export function storeSecretVersions(store: SqliteSecretStore): SecretVersions {
  return { currentVersion: (name) => store.tryDescribe(name)?.version };
}

/**
 * What the supervisor reads a task's pinned secrets through: each version's value from the store,
 * and the pipeline's masker (every encoding it knows) for the task's log lines.
 */
export function storeTaskSecrets(store: SqliteSecretStore): TaskSecrets {
  return {
    resolve(pins) {
      const env: Record<string, string> = {};
      for (const [name, version] of Object.entries(pins)) {
        const value = store.readVersion(name, version);
        if (value === undefined) {
          throw new SlipwayError('SLW_ERR_DEPLOY_SECRET_NOT_SET', `secret ${name} version ${version} is no longer in the secret store (removed?); set it with \`slipway secrets set ${name}\`, which deploys the services that declare it`);
        }
        env[name] = value;
      }
      return env;
    },
    redaction(values) {
      const patterns = new SecretPatterns(values);
      const literals = [...new Set(values.flatMap((v) => secretForms(v).map((f) => f.text)))].filter((t) => t.length > 0 && t !== MASK);
      return { mask: (line) => (patterns.isEmpty ? line : maskSecrets(line, patterns)), literals };
    },
  };
}
