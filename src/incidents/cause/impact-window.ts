import type { Incident } from '../model.js';
import { changeName } from './change.js';
import type { LikelyCause } from './find-likely-cause.js';

/** The span failed requests are counted over, and what bounds it, in words. */
export interface ImpactWindow {
  readonly startMs: number;
  readonly endMs: number;
  /** What starts it, e.g. `the start of deployment 14`. */
  readonly from: string;
  /** What ends it, e.g. `traffic back on r1 (the rollback of deployment 14)`. */
  readonly until: string;
}

/**
 * Where an incident's harm is counted (pure): from the start of the change that caused it (the alarm
 * only noticed what began then) to the restore — traffic back on the old revision, else the incident's
 * mitigation, else its resolution, else now. Without a cause, from the trigger.
 */
export function impactWindow(incident: Incident, cause: LikelyCause | undefined, nowMs: number): ImpactWindow {
  const c = cause?.change;
  const startMs = c?.startedAtMs ?? incident.triggeredAtMs;
  const from = c === undefined ? 'the trigger' : `the start of ${changeName(c)}`;
  const [endMs, until] =
    c?.restoredAtMs != null
      ? [c.restoredAtMs, c.kind === 'deployment' ? `traffic back on ${c.fromRevision ?? 'the old revision'} (the rollback of deployment ${c.deploymentId})` : `flag ${c.key} back on version ${c.fromVersion ?? '?'} (the revert of ${changeName(c)})`]
      : incident.mitigatedAtMs !== null
        ? [incident.mitigatedAtMs, 'the mitigation']
        : incident.resolvedAtMs !== null
          ? [incident.resolvedAtMs, 'the resolution']
          : [nowMs, 'now'];
  return { startMs, endMs: Math.max(endMs, startMs + 1), from, until };
}
