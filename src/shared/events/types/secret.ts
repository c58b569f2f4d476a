import { z } from 'zod';
import { eventSpec } from '../spec.js';

/** A secret got a new version (subject `secret/<name>`); never its value. */
export const SECRET_SET = 'secret.set';
/** A secret and all its versions were removed. */
export const SECRET_REMOVED = 'secret.removed';
/** A new version of a secret that running services declare started their deployments. */
export const SECRET_ROTATED = 'secret.rotated';

/** The `secret.*` events of the secret store's API; names and versions only, never values. */
export const secretEvents = {
  [SECRET_SET]: eventSpec('A secret was set: `version` is its new version number (values are never in events).', z.object({ name: z.string(), version: z.number().int() })),
  [SECRET_REMOVED]: eventSpec('A secret and every version of it were removed from the store.', z.object({ name: z.string() })),
  [SECRET_ROTATED]: eventSpec(
    'A new version of a secret rolls the services that declare it: one deployment per running service and environment (`deploymentId`), or the `error` that refused it.',
    z.object({
      name: z.string(),
      version: z.number().int(),
      deployments: z.array(z.object({ environment: z.string(), service: z.string(), deploymentId: z.number().int().nullable(), error: z.string().nullable() })),
    }),
  ),
} as const;
