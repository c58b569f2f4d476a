// `slipway/openfeature`: the OpenFeature provider that evaluates slipway's flags in process.
export { SlipwayProvider, type SlipwayProviderOptions } from './slipway-provider.js';
