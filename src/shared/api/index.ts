export { eventsQuerySchema, appendEventBodySchema, type EventsQuery, type EventDto, type ErrorBody } from './events.js';
