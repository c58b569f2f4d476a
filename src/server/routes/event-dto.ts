import type { EventQuery, SlipwayEvent } from '../../core/index.js';
import type { EventDto, EventsQuery } from '../../shared/index.js';

/** The API form of an event. */
export function toEventDto(e: SlipwayEvent): EventDto {
  return { seq: e.seq, time: new Date(e.timeMs).toISOString(), timeMs: e.timeMs, type: e.type, subject: e.subject, data: e.data };
}

/** Maps validated query-string filters to an event-log query. */
export function toEventQuery(q: EventsQuery): EventQuery {
  return {
    type: q.type,
    subject: q.subject,
    afterSeq: q.after,
    sinceMs: q.since === undefined ? undefined : typeof q.since === 'number' ? q.since : Date.parse(q.since),
    untilMs: q.until === undefined ? undefined : typeof q.until === 'number' ? q.until : Date.parse(q.until),
    limit: q.limit,
  };
}
