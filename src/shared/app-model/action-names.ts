import type { z } from 'zod';
import type { actionSchema } from './schema/pipeline.js';

/** The name of an action, given or derived: its type, or `deploy-<environment>[-<service>]` for a deploy action. */
export function actionName(action: z.output<typeof actionSchema>): string {
  if (action.name !== undefined) return action.name;
  if (action.type !== 'deploy') return action.type;
  return action.service === undefined ? `deploy-${action.environment}` : `deploy-${action.environment}-${action.service}`;
}
