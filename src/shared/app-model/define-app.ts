import type { AppDefinition } from './schema/app.js';

/**
 * Declares an application in `slipway.config.ts`. It returns the definition unchanged;
 * its purpose is the type, which guides the editor through every option.
 * @example
 * import { defineApp, canary } from 'slipway';
 * export default defineApp({ name: 'shop', services: { ... }, environments: { ... } });
 */
export function defineApp(definition: AppDefinition): AppDefinition {
  return definition;
}
