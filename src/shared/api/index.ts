export { eventsQuerySchema, appendEventBodySchema, type EventsQuery, type EventDto, type ErrorBody } from './events.js';
export { startRevisionBodySchema, setTrafficBodySchema, serviceParamsSchema } from './environments.js';
