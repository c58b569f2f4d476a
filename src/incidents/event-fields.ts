import type { SlipwayEvent } from '../core/index.js';

/** A string field of an event's data, or undefined. */
export function str(e: SlipwayEvent, key: string): string | undefined {
  const v = e.data[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The deployment an event is about: `data.deploymentId`, `data.id` or a `deployment/<id>` subject. */
export function deploymentIdOf(e: SlipwayEvent): number | undefined {
  for (const v of [e.data.deploymentId, e.type.startsWith('deployment.') ? e.data.id : undefined]) {
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  }
  const m = /^deployment\/(\d+)$/.exec(e.subject);
  return m ? Number(m[1]) : undefined;
}
