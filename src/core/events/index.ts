export { EventLog, validatePayloadsByDefault, type EventListener, type EventLogOptions } from './event-log.js';
export { matchesEventQuery } from './matches.js';
export { nextEvent } from './next-event.js';
export { eventMigrations, EVENT_TYPE_PATTERN, MAX_EVENT_PAGE, type SlipwayEvent, type NewEvent, type NewCataloguedEvent, type NewCustomEvent, type EventQuery } from './model.js';
