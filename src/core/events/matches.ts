import type { EventQuery, SlipwayEvent } from './model.js';

/** Whether an event passes a query's type, subject and time filters (the in-memory twin of `EventLog.list`). */
export function matchesEventQuery(event: SlipwayEvent, query: EventQuery): boolean {
  if (query.type !== undefined && event.type !== query.type && !event.type.startsWith(`${query.type}.`)) return false;
  if (query.subject !== undefined && event.subject !== query.subject) return false;
  if (query.afterSeq !== undefined && event.seq <= query.afterSeq) return false;
  if (query.sinceMs !== undefined && event.timeMs < query.sinceMs) return false;
  if (query.untilMs !== undefined && event.timeMs >= query.untilMs) return false;
  return true;
}
