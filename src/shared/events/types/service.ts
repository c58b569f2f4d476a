import { z } from 'zod';
import { eventSpec } from '../spec.js';
import { serviceFields, weightsSchema } from './fields.js';

/** At start-up a service waits for its `dependsOn` to be Healthy. */
export const SERVICE_START_DELAYED = 'service.start.delayed';
/** Every dependency of a waiting service is Healthy: its start follows. */
export const SERVICE_DEPENDENCIES_HEALTHY = 'service.dependencies.healthy';
/** A service was not started: a dependency did not become Healthy in time. */
export const SERVICE_START_BLOCKED = 'service.start.blocked';

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
/** A container revision runs without the `cpu` / `memory` limits of its service: the engine cannot apply them here. */
export const SERVICE_LIMITS_NOT_APPLIED = 'service.limits.not_applied';

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
  [SERVICE_LIMITS_NOT_APPLIED]: eventSpec(
    'A container revision starts without limits its service asks for (`cpus` in cores, `memoryMiB`; null: that one applies), because the engine refused them on this machine (`reason`, what it said).',
    z.object({ ...serviceFields, revision: z.string(), cpus: z.number().nullable(), memoryMiB: z.number().nullable(), reason: z.string() }),
  ),
  [SERVICE_START_DELAYED]: eventSpec('At start-up the service waits for the dependencies it names (`waitingFor`) to be Healthy.', z.object({ ...serviceFields, waitingFor: z.array(z.string()) })),
  [SERVICE_DEPENDENCIES_HEALTHY]: eventSpec('The dependencies of a waiting service are Healthy after `waitedMs`; it starts now.', z.object({ ...serviceFields, dependsOn: z.array(z.string()), waitedMs: z.number() })),
  [SERVICE_START_BLOCKED]: eventSpec('The service was not started: `dependency` did not become Healthy (`reason`); the next start tries again.', z.object({ ...serviceFields, dependency: z.string(), reason: z.string(), waitedMs: z.number() })),
} as const;
