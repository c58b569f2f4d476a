import type { SlipwayEvent } from '../../core/index.js';

/**
 * The topics an event goes to. Alarm state changes go to the alarm's `notify` topics (none while the
 * alarm is muted); every other notified event goes to every topic, where each subscription's filter
 * decides whether it is delivered.
 */
export function topicsFor(e: SlipwayEvent, allTopics: readonly string[]): readonly string[] {
  if (e.type !== 'alarm.state.changed') return allTopics;
  if (e.data.muted === true) return [];
  const notify = e.data.notify;
  if (!Array.isArray(notify)) return [];
  return notify.filter((t): t is string => typeof t === 'string' && allTopics.includes(t));
}
