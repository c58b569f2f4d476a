import { z } from 'zod';
import { eventSpec } from '../spec.js';
import { serviceFields, weightsSchema } from './fields.js';

/** A service's task set was resized by the autoscaler (subject `service/<environment>/<service>`). */
export const SERVICE_SCALED = 'service.scaled';
/** The autoscaler could not evaluate a task set. */
export const SERVICE_SCALING_FAILED = 'service.scaling.failed';
/** A revision of a service began running. */
export const SERVICE_REVISION_STARTED = 'service.revision.started';
/** A revision of a service was stopped. */
export const SERVICE_REVISION_STOPPED = 'service.revision.stopped';
/** A service's traffic moved between its revisions. */
export const SERVICE_TRAFFIC_SHIFTED = 'service.traffic.shifted';
/** A task of a revision was replaced by a healthy new one. */
export const SERVICE_TASK_REPLACED = 'service.task.replaced';

/** The `service.*` events of the runtime and the local environments. */
export const serviceEvents = {
  [SERVICE_SCALED]: eventSpec(
    'The autoscaler changed a revision\'s desired task count (`from` → `to`) on the metric it names.',
    z.object({
      ...serviceFields,
      revision: z.string(),
      from: z.number().int(),
      to: z.number().int(),
      metric: z.string(),
      measured: z.number().nullable(),
      target: z.number(),
      reason: z.string(),
    }),
  ),
  [SERVICE_SCALING_FAILED]: eventSpec('The autoscaler failed on a task set; it tries again next round.', z.object({ ...serviceFields, revision: z.string(), error: z.string() })),
  [SERVICE_REVISION_STARTED]: eventSpec(
    'A revision of a service was started with its desired task count and initial traffic share.',
    z.object({ ...serviceFields, revision: z.string(), sourceDir: z.string(), desiredCount: z.number().int(), weightPercent: z.number() }),
  ),
  [SERVICE_REVISION_STOPPED]: eventSpec('A revision of a service was stopped and removed from the router.', z.object({ ...serviceFields, revision: z.string() })),
  [SERVICE_TRAFFIC_SHIFTED]: eventSpec(
    'The router serves new weights for a service (`from` → `to`, by revision).',
    z.object({ ...serviceFields, from: weightsSchema, to: weightsSchema, reason: z.string() }),
  ),
  [SERVICE_TASK_REPLACED]: eventSpec(
    'A task of a revision was replaced (a rolling restart): the new one is healthy, the old one stopped.',
    z.object({ ...serviceFields, revision: z.string(), oldTaskId: z.string(), newTaskId: z.string() }),
  ),
} as const;
