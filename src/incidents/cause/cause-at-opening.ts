import type { EventLog, SlipwayEvent } from '../../core/index.js';
import type { ResolvedApp } from '../../shared/index.js';
import { readEvents } from '../read-events.js';
import { collectChanges } from './change.js';
import { findLikelyCause } from './find-likely-cause.js';
import { rollbackEnvironments } from './rollback-environments.js';

/** How far back a deployment still under way at the alarm may have started. */
const IN_FLIGHT_LOOKBACK_MS = 6 * 3_600_000;

/** What the alarm that opens an incident watches. */
export interface OpeningAlarm {
  readonly alarm: string;
  readonly service: string | null;
  readonly environment: string | null;
}

/**
 * The deployment an incident records when its alarm event names none: the likely cause from the log as it
 * stands at the alarm (see {@link findLikelyCause}); the rollback the alarm starts comes later, so the
 * incident's answers re-decide the cause from the whole log each time they are asked.
 */
export function causeAtOpening(events: EventLog, app: ResolvedApp | undefined, trigger: SlipwayEvent, alarm: OpeningAlarm, windowMs: number): number | undefined {
  const range = { sinceMs: trigger.timeMs - Math.max(windowMs, IN_FLIGHT_LOOKBACK_MS), untilMs: trigger.timeMs + 1 };
  const before = [...readEvents(events, { type: 'deployment', ...range }), ...readEvents(events, { type: 'flag', ...range })].filter((x) => x.seq < trigger.seq);
  const verdict = findLikelyCause({
    ...alarm,
    rollbackEnvironments: rollbackEnvironments(app, alarm.alarm),
    triggeredAtMs: trigger.timeMs,
    namedByAlarm: null,
    namedByHand: null,
    windowMs,
    changes: collectChanges(before),
  });
  // An incident records a deployment id; a flag change as the cause is decided again from the log when asked.
  const change = verdict.cause?.change;
  return change?.kind === 'deployment' ? change.deploymentId : undefined;
}
