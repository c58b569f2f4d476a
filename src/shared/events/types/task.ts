import { z } from 'zod';
import { eventSpec } from '../spec.js';
import { nullableString, taskFields } from './fields.js';

/** A task's process is running (subject `task/<id>`). */
export const TASK_STARTED = 'task.started';
/** A task's process could not be started. */
export const TASK_START_FAILED = 'task.start.failed';
/** A failed task has a replacement. */
export const TASK_REPLACED = 'task.replaced';
/** A task's health check result changed its state. */
export const TASK_HEALTH_CHANGED = 'task.health.changed';
/** A task's process is gone. */
export const TASK_EXITED = 'task.exited';
/** A stop of a task began. */
export const TASK_STOP_REQUESTED = 'task.stop.requested';
/** A task's group was sent SIGKILL. */
export const TASK_KILLED = 'task.killed';
/** A task's stop finished. */
export const TASK_STOPPED = 'task.stopped';
/** A restarted control plane took over a running task. */
export const TASK_ADOPTED = 'task.adopted';

/** The `task.*` events the supervisor appends. */
export const taskEvents = {
  [TASK_STARTED]: eventSpec(
    'A task process was spawned and is being health-checked.',
    z.object({ ...taskFields, pid: z.number().int(), port: z.number().int(), restarts: z.number().int() }),
  ),
  [TASK_START_FAILED]: eventSpec(
    'A task process could not be spawned; the task is Failed and its set backs off.',
    z.object({ ...taskFields, error: z.string(), command: z.string(), backoffMs: z.number() }),
  ),
  [TASK_REPLACED]: eventSpec(
    'A failed task was replaced by a new one (on the failed task\'s subject).',
    z.object({ ...taskFields, replacementTaskId: z.string(), reason: nullableString, backoffMs: z.number() }),
  ),
  [TASK_HEALTH_CHANGED]: eventSpec(
    'A task became Healthy (with `successes`) or Unhealthy (with `failures`, `lastError`, `message`, `backoffMs`).',
    z.object({
      ...taskFields,
      from: z.string(),
      to: z.string(),
      port: z.number().int(),
      successes: z.number().int().optional(),
      failures: z.number().int().optional(),
      lastError: nullableString.optional(),
      everHealthy: z.boolean().optional(),
      message: z.string().optional(),
      backoffMs: z.number().optional(),
    }),
  ),
  [TASK_EXITED]: eventSpec(
    'A task\'s process exited: `expected` when slipway stopped it, else a failure with its `reason` and backoff.',
    z.object({
      ...taskFields,
      pid: z.number().int().nullable(),
      code: z.number().int().nullable(),
      signal: nullableString,
      exitStatusKnown: z.boolean(),
      expected: z.boolean(),
      previousState: z.string().optional(),
      reason: z.string().optional(),
      uptimeMs: z.number().optional(),
      backoffMs: z.number().optional(),
      message: z.string().optional(),
    }),
  ),
  [TASK_STOP_REQUESTED]: eventSpec(
    'slipway began stopping a task (drain, SIGTERM, then SIGKILL after the stop timeout).',
    z.object({ ...taskFields, reason: z.string(), previousState: z.string() }),
  ),
  [TASK_KILLED]: eventSpec(
    'A task did not exit within the stop timeout after SIGTERM and its group was killed.',
    z.object({ ...taskFields, signal: z.literal('SIGKILL'), stopTimeoutMs: z.number(), message: z.string() }),
  ),
  [TASK_STOPPED]: eventSpec(
    'A task\'s stop finished; `forced` when it had to be killed.',
    z.object({ ...taskFields, reason: z.string(), state: z.string(), forced: z.boolean(), beforeTaskStopError: z.string().optional() }),
  ),
  [TASK_ADOPTED]: eventSpec(
    'A restarted control plane found a task still running and took it over.',
    z.object({ ...taskFields, pid: z.number().int().nullable(), port: z.number().int(), state: z.string() }),
  ),
} as const;
