import type { FastifyInstance } from 'fastify';
import {
  actionItemParamsSchema,
  addActionItemBodySchema,
  assignIncidentBodySchema,
  incidentActionBodySchema,
  incidentNoteBodySchema,
  incidentParamsSchema,
  incidentTransitionBodySchema,
  listIncidentsQuerySchema,
  openIncidentBodySchema,
  parseInput,
  postmortemBodySchema,
  updateActionItemBodySchema,
  type ActionItemListDto,
} from '../shared/index.js';
import type { IncidentService } from './service.js';

const TRANSITIONS = { ack: 'acknowledge', mitigate: 'mitigate', resolve: 'resolve' } as const;

/** The incidents API under `/api/v1/incidents` (docs/incidents.md). */
export function incidentRoutes(service: IncidentService): (app: FastifyInstance) => void {
  return (app) => {
    app.get('/api/v1/incidents', { config: { auth: 'session' } }, async (request) => {
      const q = parseInput(listIncidentsQuerySchema, request.query, 'query');
      return { incidents: service.list(q) };
    });

    app.post('/api/v1/incidents', { config: { auth: 'session' } }, async (request, reply) => {
      const body = parseInput(openIncidentBodySchema, request.body, 'body');
      return reply.status(201).send(service.open(body));
    });

    app.get('/api/v1/incidents/:id', { config: { auth: 'session' } }, async (request) => {
      const { id } = parseInput(incidentParamsSchema, request.params, 'params');
      return service.detail(id);
    });

    for (const [verb, transition] of Object.entries(TRANSITIONS)) {
      app.post(`/api/v1/incidents/:id/${verb}`, { config: { auth: 'session' } }, async (request) => {
        const { id } = parseInput(incidentParamsSchema, request.params, 'params');
        const body = parseInput(incidentTransitionBodySchema, request.body ?? undefined, 'body') ?? {};
        return service.transition(id, transition, body);
      });
    }

    app.post('/api/v1/incidents/:id/assign', { config: { auth: 'session' } }, async (request) => {
      const { id } = parseInput(incidentParamsSchema, request.params, 'params');
      const body = parseInput(assignIncidentBodySchema, request.body, 'body');
      return service.assign(id, body.assignee, body.by);
    });

    app.post('/api/v1/incidents/:id/notes', { config: { auth: 'session' } }, async (request, reply) => {
      const { id } = parseInput(incidentParamsSchema, request.params, 'params');
      const body = parseInput(incidentNoteBodySchema, request.body, 'body');
      return reply.status(201).send(service.addNote(id, body.text, body.author));
    });

    app.post('/api/v1/incidents/:id/actions', { config: { auth: 'session' } }, async (request, reply) => {
      const { id } = parseInput(incidentParamsSchema, request.params, 'params');
      const body = parseInput(incidentActionBodySchema, request.body, 'body');
      return reply.status(201).send(await service.recordAction(id, body));
    });

    app.get('/api/v1/incidents/:id/action-items', { config: { auth: 'session' } }, async (request): Promise<ActionItemListDto> => {
      const { id } = parseInput(incidentParamsSchema, request.params, 'params');
      return { actionItems: service.actionItems(id) };
    });

    app.post('/api/v1/incidents/:id/action-items', { config: { auth: 'session' } }, async (request, reply) => {
      const { id } = parseInput(incidentParamsSchema, request.params, 'params');
      const body = parseInput(addActionItemBodySchema, request.body, 'body');
      return reply.status(201).send(service.addActionItem(id, body));
    });

    app.patch('/api/v1/incidents/:id/action-items/:itemId', { config: { auth: 'session' } }, async (request) => {
      const { id, itemId } = parseInput(actionItemParamsSchema, request.params, 'params');
      const body = parseInput(updateActionItemBodySchema, request.body, 'body');
      return service.updateActionItem(id, itemId, body);
    });

    app.get('/api/v1/incidents/:id/postmortem', { config: { auth: 'session' } }, async (request) => {
      const { id } = parseInput(incidentParamsSchema, request.params, 'params');
      return service.postmortem(id);
    });

    app.put('/api/v1/incidents/:id/postmortem', { config: { auth: 'session' } }, async (request) => {
      const { id } = parseInput(incidentParamsSchema, request.params, 'params');
      const body = parseInput(postmortemBodySchema, request.body, 'body');
      return service.writePostmortem(id, body.markdown, body.author);
    });
  };
}
