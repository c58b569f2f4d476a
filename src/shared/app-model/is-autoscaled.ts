import type { ResolvedScaling } from './resolved.js';

/**
 * Whether anything changes a service's task count at run time (target tracking, schedules, alarm
 * actions): then a running revision keeps its count, clamped to the range, instead of being set to `min`.
 */
export function isAutoscaled(scaling: ResolvedScaling): boolean {
  return (
    scaling.targetCpuPercent !== undefined ||
    scaling.targetRequestsPerTask !== undefined ||
    (scaling.targets ?? []).length > 0 ||
    (scaling.schedules ?? []).length > 0 ||
    (scaling.scaledByAlarms ?? []).length > 0
  );
}
