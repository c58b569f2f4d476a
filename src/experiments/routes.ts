import type { FastifyInstance } from 'fastify';
import { experimentParamsSchema, parseInput, stopExperimentBodySchema, type ExperimentDetailDto, type ExperimentDto, type ExperimentListDto } from '../shared/index.js';
import type { Experiments } from './experiments.js';

/** Who a stop is recorded as when the caller names nobody. */
export const DEFAULT_STOP_ACTOR = 'api';

/**
 * The experiments API, on the token-or-session auth of the rest of `/api/v1`:
 *
 * - `GET /api/v1/experiments`: every experiment of the model in each of its environments, with its
 *   state and last verdict;
 * - `GET /api/v1/experiments/:env/:name`: one, with its result computed now (per variant:
 *   exposures, conversions, rate or mean, difference with its interval, p-value, verdict; guardrails);
 * - `POST /api/v1/experiments/:env/:name/stop`: body `{ by?, reason? }`; the flag serves the control.
 */
export function experimentRoutes(experiments: Experiments) {
  return (app: FastifyInstance): void => {
    app.get('/api/v1/experiments', { config: { auth: 'session' } }, (): ExperimentListDto => ({ experiments: experiments.list() }));
    app.get('/api/v1/experiments/:env/:name', { config: { auth: 'session' } }, (request): ExperimentDetailDto => {
      const p = parseInput(experimentParamsSchema, request.params, 'params');
      return experiments.get(p.env, p.name);
    });
    app.post('/api/v1/experiments/:env/:name/stop', { config: { auth: 'session' } }, (request): ExperimentDto => {
      const p = parseInput(experimentParamsSchema, request.params, 'params');
      const body = parseInput(stopExperimentBodySchema, request.body ?? {}, 'body');
      const actor = body.by ?? DEFAULT_STOP_ACTOR;
      return experiments.stop(p.env, p.name, { actor, ...(body.reason === undefined ? {} : { reason: body.reason }) });
    });
  };
}
