export { loadAppConfig, readAppDefinition, type LoadAppConfigOptions, type LoadedAppConfig } from './load-app-config.js';
export { CONFIG_FILE_NAMES } from './config-file-names.js';
export { readDefinitionAt, type DefinitionAtOptions } from './definition-at.js';
export { readConfigFile } from './read-config-file.js';
