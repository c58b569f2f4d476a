import type { EventLog } from './event-log.js';
import type { SlipwayEvent } from './model.js';

/**
 * Resolves at the next event `matches` accepts, or after `timeoutMs` at the
 * latest: how a loop that polls state waits for the event that says it changed,
 * with a timer only as a safety net.
 */
export function nextEvent(events: EventLog, matches: (e: SlipwayEvent) => boolean, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    const off = events.subscribe((e) => matches(e) && done());
    function done() {
      clearTimeout(timer);
      off();
      resolve();
    }
  });
}
