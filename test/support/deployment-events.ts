import type { EventLog, SlipwayEvent } from '../../src/core/index.js';

/**
 * Resolves with the first event (already in the log, or appended later) that
 * matches; rejects after `timeoutMs`. Waits on the log, never by sleeping.
 */
export function waitForEvent(events: EventLog, match: (e: SlipwayEvent) => boolean, timeoutMs = 30_000, what = 'an event'): Promise<SlipwayEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const off = events.subscribe((e) => {
      if (!match(e)) return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
    for (let after = 0; ; ) {
      const page = events.list({ afterSeq: after, limit: 1000 });
      const hit = page.find(match);
      if (hit) {
        clearTimeout(timer);
        off();
        resolve(hit);
        return;
      }
      if (page.length < 1000) return;
      after = page.at(-1)!.seq;
    }
  });
}

/** The final states of a deployment. */
export const FINISHED = ['deployment.succeeded', 'deployment.rolled_back', 'deployment.failed'];

/** Waits until deployment `id` emits one of `types` (by default: finishes). */
export function waitForDeployment(events: EventLog, id: number, types: readonly string[] = FINISHED, timeoutMs = 30_000): Promise<SlipwayEvent> {
  return waitForEvent(events, (e) => e.subject === `deployment/${id}` && types.includes(e.type), timeoutMs, `deployment ${id} to emit ${types.join(' or ')}`);
}

/** The events of deployment `id`, oldest first. */
export function deploymentEvents(events: EventLog, id: number): SlipwayEvent[] {
  return events.list({ subject: `deployment/${id}`, limit: 10_000 });
}

/** The share of traffic the new revision got at each shift of deployment `id`, in order. */
export function newRevisionWeights(events: EventLog, id: number): number[] {
  return deploymentEvents(events, id)
    .filter((e) => e.type === 'deployment.traffic.shifted')
    .map((e) => (e.data.to as Record<string, number>)[e.data.toRevision as string] ?? 0);
}
