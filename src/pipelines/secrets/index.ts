export { StreamMasker, maskSecrets, maskDeep, compileSecrets, MASK } from './secret-masker.js';
export { SecretPatterns, LINE_BREAK_WINDOW_FACTOR, type SecretRef, type KnownSecret, type SecretInput, type CompiledForm } from './secret-patterns.js';
export { encodeSecret, secretForms, SECRET_ENCODINGS, MIN_ENCODED_SECRET_CHARS, MIN_ENCODED_PATTERN_CHARS, type SecretEncoding, type SecretForm } from './secret-encodings.js';
export { MaskedLineSplitter, type MaskedLineSplitterOptions } from './line-splitter.js';
export { staticSecretStore, SECRET_NAME_PATTERN, type SecretStore, type ManagedSecretStore } from './secret-store.js';
export { SqliteSecretStore, secretMigrations, type SqliteSecretStoreOptions, type SecretVersionInfo } from './sqlite-secret-store.js';
export { keepValue, displayValue, revealValue, holdsSecret, type KeptValue, type SecretTemplate, type SecretPart, type MaskedValue, type Revealed } from './kept-value.js';
export { listKnownSecrets } from './list-known-secrets.js';
export { secretField, jsonFields } from './secret-field.js';
