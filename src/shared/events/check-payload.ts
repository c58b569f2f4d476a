import type { Issue } from '../errors/index.js';
import { eventSpecOf } from './catalog.js';

/**
 * What is wrong with an event's payload against its catalog schema, one issue per problem with its
 * dotted path under `data`; empty when it matches. Throws nothing: an unknown type is one issue at `type`.
 */
export function checkPayload(type: string, data: unknown): Issue[] {
  const spec = eventSpecOf(type);
  if (spec === undefined) return [{ path: 'type', message: `"${type}" is not in the event catalog and does not start with "custom."` }];
  const parsed = spec.schema.safeParse(data);
  if (parsed.success) return [];
  return parsed.error.issues.map((i) => ({ path: ['data', ...i.path.map(String)].join('.'), message: i.message }));
}
