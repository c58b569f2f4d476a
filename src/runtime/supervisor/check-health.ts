import { nextHealth } from '../health/next-health.js';
import { probeHttp, type ProbeResult } from '../health/probe-http.js';
import { ACTIVE_TASK_STATES, taskSubject } from '../model.js';
import { taskEventData, toTask, type SupervisorContext } from './context.js';
import { recordFailure } from './record-failure.js';

/** Called when a check has made a task Unhealthy; the supervisor stops and replaces it. */
export type UnhealthyHandler = (taskId: string) => void;

/**
 * Starts the health checks that are due. Checks run in the background (one
 * per task at a time) and report through {@link applyProbeResult}, so a
 * hanging endpoint never holds up the loop.
 */
export function startDueHealthChecks(ctx: SupervisorContext, onUnhealthy: UnhealthyHandler): void {
  const now = ctx.clock.now();
  const specs = new Map(ctx.sets.list().map((s) => [`${s.environment}/${s.service}/${s.revision}`, s.spec]));
  for (const task of ctx.tasks.list({ states: ACTIVE_TASK_STATES })) {
    const live = ctx.live.get(task.id);
    const spec = specs.get(`${task.environment}/${task.service}/${task.revision}`);
    if (!live || !spec || live.probing || now < live.nextProbeAtMs || live.exit) continue;
    live.probing = true;
    live.nextProbeAtMs = now + spec.health.intervalMs;
    const { path, timeoutMs } = spec.health;
    void probeHttp(task.port, path, timeoutMs)
      .then((result) => {
        if (!ctx.detached()) applyProbeResult(ctx, task.id, result, onUnhealthy);
      })
      .catch((err: unknown) => ctx.report('health check', err, task.id))
      .finally(() => {
        live.probing = false;
      });
  }
}

/** Updates a task's health counters with one result; fires the events and hooks of a state change. */
export function applyProbeResult(ctx: SupervisorContext, taskId: string, result: ProbeResult, onUnhealthy: UnhealthyHandler): void {
  const task = ctx.tasks.tryFind(taskId);
  if (!task || (task.state !== 'Starting' && task.state !== 'Healthy') || ctx.live.get(taskId)?.exit) return;
  const set = ctx.sets.tryFind(task);
  if (!set) return;
  const now = ctx.clock.now();
  const inGrace = now - task.startedAtMs < set.spec.health.gracePeriodMs;
  const next = nextHealth({ state: task.state, successes: task.healthSuccesses, failures: task.healthFailures }, result.ok, inGrace, set.spec.health);
  const changed = next.state !== task.state;
  // A passing check of a steady task changes nothing: no write (each is a synchronous commit on the event loop).
  if (!changed && next.successes === task.healthSuccesses && next.failures === task.healthFailures && result.ok) return;
  ctx.tasks.update(
    taskId,
    {
      state: next.state,
      healthSuccesses: next.successes,
      healthFailures: next.failures,
      ...(result.ok ? {} : { lastHealthError: result.error ?? 'failed' }),
      ...(changed && next.state === 'Healthy' ? { healthySinceMs: now } : {}),
    },
    now,
  );
  if (!changed) return;
  const data = { ...taskEventData(task), from: task.state, to: next.state, port: task.port };
  if (next.state === 'Healthy') {
    ctx.events.append({ type: 'task.health.changed', subject: taskSubject(taskId), data: { ...data, successes: next.successes } });
    const hook = ctx.onTaskHealthy;
    const healthy = ctx.tasks.tryFind(taskId);
    if (hook && healthy) {
      try {
        void Promise.resolve(hook(toTask(healthy))).catch((err: unknown) => ctx.report('onTaskHealthy', err, taskId));
      } catch (err) {
        ctx.report('onTaskHealthy', err, taskId);
      }
    }
    return;
  }
  const everHealthy = task.healthySinceMs !== null;
  const backoffMs = recordFailure(ctx, task);
  ctx.events.append({
    type: 'task.health.changed',
    subject: taskSubject(taskId),
    data: {
      ...data,
      failures: next.failures,
      lastError: result.error ?? null,
      everHealthy,
      // A task that never answered once is most often one that never opened its port.
      message: everHealthy ? 'health checks failed' : `never passed a health check on port ${task.port}`,
      backoffMs,
    },
  });
  onUnhealthy(taskId);
}
