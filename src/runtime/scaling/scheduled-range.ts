import { compileSchedule, lastRunBetween, type ResolvedScalingSchedule } from '../../shared/index.js';
import type { ScheduledBounds } from '../store/scaling-state-store.js';

/** A scheduled action that ran since the last check. */
export interface ScheduleRun {
  readonly name: string;
  readonly atMs: number;
}

/**
 * Applies the scheduled actions that ran in `(previous.checkedAtMs, nowMs]`, oldest first, each
 * setting the bounds it gives (pure). Without a previous check nothing runs: as on AWS, a new
 * scheduled action acts from its next run on, not on the runs before it existed.
 */
export function advanceSchedules(schedules: readonly ResolvedScalingSchedule[], previous: ScheduledBounds | undefined, nowMs: number): { readonly bounds: ScheduledBounds; readonly runs: readonly ScheduleRun[] } {
  if (previous === undefined) return { bounds: { minTasks: undefined, maxTasks: undefined, schedule: undefined, changedAtMs: undefined, checkedAtMs: nowMs }, runs: [] };
  if (nowMs <= previous.checkedAtMs) return { bounds: previous, runs: [] };
  const runs: (ScheduleRun & { s: ResolvedScalingSchedule })[] = [];
  for (const s of schedules) {
    const parsed = compileSchedule(s.schedule, s.timezone);
    if (!parsed.ok) continue; // the spec was checked; a schedule that stopped parsing simply never runs
    const atMs = lastRunBetween(parsed.schedule, previous.checkedAtMs, nowMs);
    if (atMs !== undefined) runs.push({ name: s.name, atMs, s });
  }
  runs.sort((a, b) => a.atMs - b.atMs);
  let bounds: ScheduledBounds = { ...previous, checkedAtMs: nowMs };
  for (const r of runs) {
    bounds = { ...bounds, minTasks: r.s.minTasks ?? bounds.minTasks, maxTasks: r.s.maxTasks ?? bounds.maxTasks, schedule: r.name, changedAtMs: r.atMs };
  }
  return { bounds, runs: runs.map(({ name, atMs }) => ({ name, atMs })) };
}

/** The task range in force: the scheduled bounds over the model's, the maximum never below the minimum. */
export function effectiveRange(spec: { readonly min: number; readonly max: number }, bounds: ScheduledBounds | undefined): { readonly min: number; readonly max: number } {
  const min = bounds?.minTasks ?? spec.min;
  return { min, max: Math.max(bounds?.maxTasks ?? spec.max, min) };
}
