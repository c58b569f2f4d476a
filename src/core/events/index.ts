export { EventLog, type EventListener } from './event-log.js';
export { matchesEventQuery } from './matches.js';
export { nextEvent } from './next-event.js';
export { eventMigrations, EVENT_TYPE_PATTERN, MAX_EVENT_PAGE, type SlipwayEvent, type NewEvent, type EventQuery } from './model.js';
