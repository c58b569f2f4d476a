import type { FastifyInstance } from 'fastify';
import { parseInput, scaleRevisionBodySchema, serviceParamsSchema, setTrafficBodySchema, startRevisionBodySchema, type EnvironmentsDto, type ServiceRevisionDto, type TrafficWeightsDto } from '../shared/index.js';
import type { ServiceRevision } from './store/revision-store.js';
import type { LocalEnvironments } from './local-environments.js';

const SERVICE = '/api/v1/environments/:environment/services/:service';

/** A revision as the API shows it: without its tasks' extra environment (a deployment's overrides may hold secrets) or its directory. */
function toServiceRevisionDto(r: ServiceRevision): ServiceRevisionDto {
  return { environment: r.environment, service: r.service, revision: r.revision, weightPercent: r.weightPercent, testTraffic: r.testTraffic, desiredCount: r.desiredCount, createdAtMs: r.createdAtMs };
}

/**
 * The low-level traffic API the deployment engine is built on: run a
 * revision, shift weights between revisions, replace tasks, stop a revision.
 */
export function environmentRoutes(environments: LocalEnvironments) {
  return (app: FastifyInstance): void => {
    app.get('/api/v1/environments', { config: { auth: 'session' } }, async (): Promise<EnvironmentsDto> => ({ environments: environments.status() }));

    app.post(`${SERVICE}/revisions`, { config: { auth: 'session' } }, async (request, reply) => {
      const params = parseInput(serviceParamsSchema, request.params, 'params');
      const body = parseInput(startRevisionBodySchema, request.body, 'body');
      const revision = await environments.startRevision({ environment: params.environment, service: params.service, ...body });
      return reply.status(201).send(toServiceRevisionDto(revision));
    });

    app.put(`${SERVICE}/traffic`, { config: { auth: 'session' } }, async (request): Promise<TrafficWeightsDto> => {
      const params = parseInput(serviceParamsSchema, request.params, 'params');
      const body = parseInput(setTrafficBodySchema, request.body, 'body');
      await environments.setWeights(params.environment, params.service, body.weights);
      return { weights: environments.revisions.list(params).map((r) => ({ revision: r.revision, weightPercent: r.weightPercent })) };
    });

    app.put(`${SERVICE}/revisions/:revision/scale`, { config: { auth: 'session' } }, async (request): Promise<ServiceRevisionDto> => {
      const params = parseInput(serviceParamsSchema, request.params, 'params');
      const body = parseInput(scaleRevisionBodySchema, request.body, 'body');
      await environments.scaleRevision(params.environment, params.service, params.revision!, body.desiredCount);
      return toServiceRevisionDto(environments.revisions.tryFind(params.environment, params.service, params.revision!)!);
    });

    app.post(`${SERVICE}/revisions/:revision/replace-tasks`, { config: { auth: 'session' } }, async (request) => {
      const params = parseInput(serviceParamsSchema, request.params, 'params');
      await environments.replaceTasks(params.environment, params.service, params.revision!);
      return { replaced: true };
    });

    app.delete(`${SERVICE}/revisions/:revision`, { config: { auth: 'session' } }, async (request, reply) => {
      const params = parseInput(serviceParamsSchema, request.params, 'params');
      await environments.stopRevision(params.environment, params.service, params.revision!);
      return reply.status(204).send();
    });
  };
}
