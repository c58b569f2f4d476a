/** The file names `loadAppConfig` looks for, in order of preference. */
export const CONFIG_FILE_NAMES = [
  'slipway.config.ts',
  'slipway.config.mts',
  'slipway.config.js',
  'slipway.config.mjs',
  'slipway.config.json',
  'slipway.config.yaml',
  'slipway.config.yml',
] as const;
