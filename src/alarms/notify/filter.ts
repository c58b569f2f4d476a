import type { NotificationMessage, SubscriptionFilter } from './model.js';

function typeMatches(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

/** True when a subscription with `filter` receives `message` (no filter: everything). */
export function matchesFilter(filter: SubscriptionFilter | undefined, message: Pick<NotificationMessage, 'eventType' | 'severity'>): boolean {
  if (filter === undefined) return true;
  if (filter.events !== undefined && !filter.events.some((p) => typeMatches(p, message.eventType))) return false;
  if (filter.severities !== undefined && !filter.severities.includes(message.severity)) return false;
  return true;
}
