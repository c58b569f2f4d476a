import type { FastifyInstance } from 'fastify';
import type { EventLog } from '../../core/index.js';
import { appendEventBodySchema, eventsQuerySchema, parseInput, type EventsPageDto } from '../../shared/index.js';
import { toEventDto, toEventQuery } from './event-dto.js';

/**
 * `GET /api/v1/events`: the event log, filtered, paged by sequence number
 * (`after` = the last `seq` seen; `nextAfter` says where the next page starts).
 * `POST /api/v1/events`: append an annotation (`custom.*`) from outside.
 */
export function eventRoutes(app: FastifyInstance, events: EventLog): void {
  app.get('/api/v1/events', { config: { auth: 'session' } }, async (request): Promise<EventsPageDto> => {
    const query = toEventQuery(parseInput(eventsQuerySchema, request.query, 'query'));
    const limit = query.limit ?? 1000;
    const page = events.list({ ...query, limit });
    const last = page.at(-1);
    return { events: page.map(toEventDto), nextAfter: page.length === limit && last ? last.seq : null, lastSeq: events.lastSeq() };
  });

  app.post('/api/v1/events', { config: { auth: 'session' } }, async (request, reply) => {
    const body = parseInput(appendEventBodySchema, request.body, 'body');
    const event = events.append({ type: body.type, subject: body.subject, data: body.data ?? {} });
    return reply.status(201).send(toEventDto(event));
  });
}
