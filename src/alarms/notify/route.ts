import type { SlipwayEvent } from '../../core/index.js';

/** Event types that page people: delivered only to the topics and users the event names. */
export const PAGE_EVENT_TYPES: readonly string[] = Object.freeze(['incident.paged', 'incident.escalated']);

const names = (v: unknown): string[] => (Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : []);

/**
 * The topics an event goes to. Alarm state changes go to the alarm's `notify` topics (none while the
 * alarm is muted); a page (`incident.paged`, `incident.escalated`) to the topics it names; every
 * other notified event goes to every topic, where each subscription's filter decides whether it is
 * delivered.
 */
export function topicsFor(e: SlipwayEvent, allTopics: readonly string[]): readonly string[] {
  if (PAGE_EVENT_TYPES.includes(e.type)) return names(e.data.topics).filter((t) => allTopics.includes(t));
  if (e.type !== 'alarm.state.changed') return allTopics;
  if (e.data.muted === true) return [];
  return names(e.data.notify).filter((t) => allTopics.includes(t));
}

/** The users a page reaches through contacts of their own (`oncall.users.<name>.contact` as subscriptions). */
export function pagedUsers(e: SlipwayEvent): readonly string[] {
  return PAGE_EVENT_TYPES.includes(e.type) ? names(e.data.users) : [];
}

/** The topic name under which deliveries to a user's own contact are recorded (`notification/user:<name>`). */
export function userContactTopic(user: string): string {
  return `user:${user}`;
}
