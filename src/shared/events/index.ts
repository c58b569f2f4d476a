// The event catalog: every type slipway appends, its payload schema, and the typed reader.
// The type-name constants of each area are re-exported whole: one constant per catalogued type.
export * from './types/control-plane.js';
export * from './types/task.js';
export * from './types/service.js';
export * from './types/artifact.js';
export * from './types/image.js';
export * from './types/pipeline.js';
export * from './types/deployment.js';
export * from './types/alarm.js';
export * from './types/notification.js';
export * from './types/incident.js';
export * from './types/iac.js';
export * from './types/flag.js';
export * from './types/experiment.js';
export {
  eventCatalog,
  EVENT_TYPES,
  CUSTOM_EVENT_PREFIX,
  customEventSpec,
  isEventType,
  isCustomEventType,
  eventSpecOf,
  type EventType,
  type EventPayloads,
  type EventTypeWith,
  type CustomEventType,
  type CustomEventPayload,
} from './catalog.js';
export { eventSpec, type EventSpec } from './spec.js';
export { payloadOf, payloadOfAny, upgradePayload, type EventLike } from './read.js';
export { checkPayload } from './check-payload.js';
export { renderEventsDoc, describePayload } from './render-doc.js';
