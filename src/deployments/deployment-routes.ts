import type { FastifyInstance } from 'fastify';
import { createDeploymentBodySchema, deploymentDecisionBodySchema, deploymentParamsSchema, listDeploymentsQuerySchema, parseInput, type DeploymentListDto, type DeploymentShadowDto } from '../shared/index.js';
import { toDeploymentDetailDto, toDeploymentDto } from './deployment-dto.js';
import type { DeploymentService } from './service.js';

const BASE = '/api/v1/deployments';

/** The deployments API: start, list, show, and the manual controls. Answers are `DeploymentDto`s (src/shared/api/deployment-dto.ts). */
export function deploymentRoutes(deployments: DeploymentService) {
  return (app: FastifyInstance): void => {
    app.post(BASE, { config: { auth: 'session' } }, async (request, reply) => {
      const body = parseInput(createDeploymentBodySchema, request.body, 'body');
      return reply.status(201).send(toDeploymentDto(deployments.start(body)));
    });

    app.get(BASE, { config: { auth: 'session' } }, async (request): Promise<DeploymentListDto> => {
      const query = parseInput(listDeploymentsQuerySchema, request.query, 'query');
      return { deployments: deployments.list(query).map(toDeploymentDto) };
    });

    app.get(`${BASE}/:id`, { config: { auth: 'session' } }, async (request) => toDeploymentDetailDto(deployments.get(parseInput(deploymentParamsSchema, request.params, 'params').id)));

    const id = (request: { params: unknown }) => parseInput(deploymentParamsSchema, request.params, 'params').id;
    app.get(`${BASE}/:id/shadow`, { config: { auth: 'session' } }, async (request): Promise<DeploymentShadowDto> => deployments.shadow(id(request)));
    app.post(`${BASE}/:id/promote`, { config: { auth: 'session' } }, async (request) => toDeploymentDto(await deployments.promote(id(request))));
    app.post(`${BASE}/:id/abort`, { config: { auth: 'session' } }, async (request) => toDeploymentDto(await deployments.abort(id(request))));
    app.post(`${BASE}/:id/pause`, { config: { auth: 'session' } }, async (request) => toDeploymentDto(await deployments.pause(id(request))));
    app.post(`${BASE}/:id/resume`, { config: { auth: 'session' } }, async (request) => toDeploymentDto(await deployments.resume(id(request))));
    app.post(`${BASE}/:id/approve`, { config: { auth: 'session' } }, async (request) => toDeploymentDto(await deployments.approve(id(request), parseInput(deploymentDecisionBodySchema, request.body ?? {}, 'body'))));
    app.post(`${BASE}/:id/reject`, { config: { auth: 'session' } }, async (request) => toDeploymentDto(await deployments.reject(id(request), parseInput(deploymentDecisionBodySchema, request.body ?? {}, 'body'))));
    app.post(`${BASE}/:id/rollback`, { config: { auth: 'session' } }, async (request, reply) => reply.status(201).send(toDeploymentDto(deployments.rollback(id(request)))));
  };
}
