import type { SlipwayEvent } from '../../core/index.js';
import { INCIDENT_ESCALATED, INCIDENT_ESCALATION_ENDED, INCIDENT_PAGED, payloadOf, type EscalationDto, type EventPayloads } from '../../shared/index.js';

/** An incident's escalation from its own events (pure); null when it was never paged. */
export function escalationDto(own: readonly SlipwayEvent[]): EscalationDto | null {
  let last: { readonly timeMs: number; readonly p: EventPayloads[typeof INCIDENT_PAGED] } | undefined;
  let pages = 0;
  let ended: string | null = null;
  for (const e of own) {
    if (e.type === INCIDENT_ESCALATION_ENDED) ended = payloadOf(e, INCIDENT_ESCALATION_ENDED)?.reason ?? ended;
    if (e.type !== INCIDENT_PAGED && e.type !== INCIDENT_ESCALATED) continue;
    const p = payloadOf(e, e.type);
    if (p === undefined) continue;
    pages++;
    last = { timeMs: e.timeMs, p };
  }
  if (last === undefined) return null;
  return { policy: last.p.policy, pages, level: last.p.level, users: [...last.p.users], topics: [...last.p.topics], lastPagedAtMs: last.timeMs, nextEscalationAtMs: ended === null ? last.p.escalateAtMs : null, ended };
}
