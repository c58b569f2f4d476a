export { StreamMasker, maskSecrets, MASK } from './secret-masker.js';
export { MaskedLineSplitter, type MaskedLineSplitterOptions } from './line-splitter.js';
export { staticSecretStore, SECRET_NAME_PATTERN, type SecretStore, type ManagedSecretStore } from './secret-store.js';
export { SqliteSecretStore, secretMigrations, type SqliteSecretStoreOptions } from './sqlite-secret-store.js';
