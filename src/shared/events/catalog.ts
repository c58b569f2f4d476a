import { z } from 'zod';
import type { EventSpec } from './spec.js';
import { alarmEvents } from './types/alarm.js';
import { artifactEvents } from './types/artifact.js';
import { controlPlaneEvents } from './types/control-plane.js';
import { deploymentEvents } from './types/deployment.js';
import { experimentEvents } from './types/experiment.js';
import { flagEvents } from './types/flag.js';
import { iacEvents } from './types/iac.js';
import { imageEvents } from './types/image.js';
import { incidentEvents } from './types/incident.js';
import { notificationEvents } from './types/notification.js';
import { pipelineEvents } from './types/pipeline.js';
import { serviceEvents } from './types/service.js';
import { secretEvents } from './types/secret.js';
import { taskEvents } from './types/task.js';

/**
 * Every event type slipway appends, by area, with its payload schema. Each area keeps its types in
 * `types/<area>.ts`; `docs/events.md` lists them all and a test keeps the two in sync.
 */
export const eventCatalog = {
  ...controlPlaneEvents,
  ...taskEvents,
  ...serviceEvents,
  ...secretEvents,
  ...artifactEvents,
  ...imageEvents,
  ...pipelineEvents,
  ...deploymentEvents,
  ...alarmEvents,
  ...notificationEvents,
  ...incidentEvents,
  ...iacEvents,
  ...flagEvents,
  ...experimentEvents,
} as const satisfies Record<string, EventSpec>;

/** A type of the catalog: past tense and dotted, e.g. `deployment.traffic.shifted`. */
export type EventType = keyof typeof eventCatalog;

/** Makes a payload read-only all the way down, so writers may hand in read-only arrays and records. */
type DeepReadonly<T> = T extends (infer E)[] ? readonly DeepReadonly<E>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

/** The payload (`data`) of each catalogued type. */
export type EventPayloads = { [T in EventType]: DeepReadonly<z.output<(typeof eventCatalog)[T]['schema']>> };

/** The catalogued types whose payload has the fields of `F`, e.g. `EventTypeWith<{ runId: number }>` for the events about a pipeline run. */
export type EventTypeWith<F> = { [T in EventType]: EventPayloads[T] extends F ? T : never }[EventType];

/** Every catalogued type, in catalog order. */
export const EVENT_TYPES = Object.keys(eventCatalog) as EventType[];

/** The open namespace of events posted from outside (`POST /api/v1/events`): their payload is free-form. */
export const CUSTOM_EVENT_PREFIX = 'custom.';

/** A type of the open `custom.*` namespace, e.g. `custom.release.noted`. */
export type CustomEventType = `custom.${string}`;

/** The payload of a `custom.*` event: any JSON object. */
export type CustomEventPayload = Readonly<Record<string, unknown>>;

/** The catalog entry of the `custom.*` prefix. */
export const customEventSpec: EventSpec = {
  doc: 'An annotation posted from outside through `POST /api/v1/events` (a release note, a manual change); the payload is free-form.',
  schema: z.record(z.string(), z.unknown()),
};

/** Whether `type` is a catalogued type. */
export function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventCatalog, type);
}

/** Whether `type` is in the open `custom.*` namespace. */
export function isCustomEventType(type: string): type is CustomEventType {
  return type.startsWith(CUSTOM_EVENT_PREFIX) && type.length > CUSTOM_EVENT_PREFIX.length;
}

/** The catalog entry of `type` (the `custom.*` entry for a custom type); undefined for a type slipway does not know. */
export function eventSpecOf(type: string): EventSpec | undefined {
  if (isEventType(type)) return eventCatalog[type];
  return isCustomEventType(type) ? customEventSpec : undefined;
}
