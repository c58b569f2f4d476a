import type { SlipwayEvent } from '../core/index.js';
import { upgradePayload } from '../shared/index.js';

/** A string field of an event's data (in today's shape, as the event catalog reads older rows), or undefined. */
export function str(e: SlipwayEvent, key: string): string | undefined {
  const v = upgradePayload(e)[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The deployment an event is about: `data.deploymentId` (the catalog reads the first version's `id`) or a `deployment/<id>` subject. */
export function deploymentIdOf(e: SlipwayEvent): number | undefined {
  for (const v of [upgradePayload(e).deploymentId]) {
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  }
  const m = /^deployment\/(\d+)$/.exec(e.subject);
  return m ? Number(m[1]) : undefined;
}
