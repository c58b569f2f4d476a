import { eventCatalog, type EventPayloads, type EventType } from './catalog.js';

/** What a reader needs of an event: its type, subject and payload. */
export interface EventLike {
  readonly type: string;
  readonly subject: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * An event's payload in today's shape: rows written by an earlier version (e.g. `alarm.state.changed`
 * with `name`/`state` instead of `alarm`/`newState`) are upgraded here, in one place, so readers never
 * guess. Types without an upgrade, and unknown types, come back as they are.
 */
export function upgradePayload(e: EventLike): Readonly<Record<string, unknown>> {
  const spec = Object.hasOwn(eventCatalog, e.type) ? (eventCatalog[e.type as EventType] as { upgrade?: (d: Readonly<Record<string, unknown>>, s: string) => Readonly<Record<string, unknown>> }) : undefined;
  return spec?.upgrade ? spec.upgrade(e.data, e.subject) : e.data;
}

/**
 * The typed payload of `e` when it is of `type`: upgraded from older shapes, then checked against the
 * catalog's schema. Undefined when `e` is of another type or its payload does not match (a reader skips it).
 */
export function payloadOf<T extends EventType>(e: EventLike, type: T): EventPayloads[T] | undefined {
  if (e.type !== type) return undefined;
  const parsed = eventCatalog[type].schema.safeParse(upgradePayload(e));
  return parsed.success ? (parsed.data as EventPayloads[T]) : undefined;
}

/** {@link payloadOf} for an event that may be of any of `types` (e.g. every `deployment.*` type). */
export function payloadOfAny<T extends EventType>(e: EventLike, types: readonly T[]): EventPayloads[T] | undefined {
  return (types as readonly string[]).includes(e.type) ? payloadOf(e, e.type as T) : undefined;
}
