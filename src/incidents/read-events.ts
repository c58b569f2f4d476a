import type { EventLog, EventQuery, SlipwayEvent } from '../core/index.js';
import { upgradePayload } from '../shared/index.js';

const PAGE = 5000;

/** Every event matching `query`, paging through the log, payloads in today's shape (see `upgradePayload`); stops after `maxEvents`. */
export function readEvents(events: EventLog, query: Omit<EventQuery, 'limit' | 'afterSeq'>, maxEvents = 50_000): SlipwayEvent[] {
  const out: SlipwayEvent[] = [];
  for (let after = 0; out.length < maxEvents; ) {
    const page = events.list({ ...query, afterSeq: after, limit: PAGE });
    out.push(...page.map((e) => ({ ...e, data: upgradePayload(e) })));
    if (page.length < PAGE) break;
    after = page.at(-1)!.seq;
  }
  return out.slice(0, maxEvents);
}
