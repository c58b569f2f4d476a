import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  InputError,
  compileFlag,
  flagParamsSchema,
  flagRolloutCommandBodySchema,
  flagRolloutParamsSchema,
  flagRolloutsQuerySchema,
  formatIssues,
  parseInput,
  startFlagRolloutBodySchema,
  type FlagRolloutDto,
  type FlagRolloutListDto,
  type Issue,
} from '../../shared/index.js';
import { checkFlag } from '../../flags/index.js';
import { flagRolloutDto } from './flag-rollout-dto.js';
import type { FlagRollouts } from './flag-rollouts.js';

/** Who a rollout or a command is recorded as when the caller names nobody. */
const DEFAULT_ACTOR = 'api';

// checkFlag speaks of the compiled flag; the caller wrote the app model's words.
const bodyPath = (path: string): string => `body.definition.${path.replace(/^defaultValue/, 'default')}`;

/**
 * The flag rollouts API, on the session-or-token auth of the rest of `/api/v1`:
 *
 * - `POST /api/v1/flags/:env/:key/rollouts`: body `{ definition, strategy?, by? }`; 201 with the rollout;
 * - `GET /api/v1/flags/:env/:key/rollouts`: that flag's rollouts, newest first;
 * - `GET /api/v1/flag-rollouts[?environment&key&limit]` and `GET /api/v1/flag-rollouts/:id`;
 * - `POST /api/v1/flag-rollouts/:id/pause|resume|promote|abort` (body `{ by?, reason? }`).
 */
export function flagRolloutRoutes(rollouts: FlagRollouts) {
  const idOf = (request: FastifyRequest) => parseInput(flagRolloutParamsSchema, request.params, 'params', 'SLW_ERR_FLAG_ROLLOUT_INVALID').id;
  const commandOf = (request: FastifyRequest) => {
    const body = parseInput(flagRolloutCommandBodySchema, request.body ?? {}, 'body', 'SLW_ERR_FLAG_ROLLOUT_INVALID');
    return { actor: body.by ?? DEFAULT_ACTOR, ...(body.reason === undefined ? {} : { reason: body.reason }) };
  };
  return (app: FastifyInstance): void => {
    app.post('/api/v1/flags/:env/:key/rollouts', { config: { auth: 'session' } }, async (request, reply) => {
      const { env, key } = parseInput(flagParamsSchema, request.params, 'params', 'SLW_ERR_FLAG_INVALID');
      const body = parseInput(startFlagRolloutBodySchema, request.body ?? {}, 'body', 'SLW_ERR_FLAG_INVALID');
      const to = compileFlag(key, body.definition);
      const issues: Issue[] = checkFlag(to).map((i) => ({ path: i.path === 'key' ? 'params.key' : bodyPath(i.path), message: i.message }));
      if (issues.length > 0) throw new InputError('SLW_ERR_FLAG_INVALID', formatIssues(issues), { issues });
      const r = rollouts.start({ environment: env, to, actor: body.by ?? DEFAULT_ACTOR, ...(body.strategy === undefined ? {} : { strategy: body.strategy }) });
      return reply.status(201).send(flagRolloutDto(r));
    });

    app.get('/api/v1/flags/:env/:key/rollouts', { config: { auth: 'session' } }, async (request): Promise<FlagRolloutListDto> => {
      const { env, key } = parseInput(flagParamsSchema, request.params, 'params', 'SLW_ERR_FLAG_INVALID');
      return { rollouts: rollouts.list({ environment: env, key }).map(flagRolloutDto) };
    });

    app.get('/api/v1/flag-rollouts', { config: { auth: 'session' } }, async (request): Promise<FlagRolloutListDto> => {
      const q = parseInput(flagRolloutsQuerySchema, request.query, 'query', 'SLW_ERR_FLAG_ROLLOUT_INVALID');
      return { rollouts: rollouts.list(q).map(flagRolloutDto) };
    });

    app.get('/api/v1/flag-rollouts/:id', { config: { auth: 'session' } }, async (request): Promise<FlagRolloutDto> => flagRolloutDto(rollouts.get(idOf(request))));

    for (const verb of ['pause', 'resume', 'promote', 'abort'] as const) {
      app.post(`/api/v1/flag-rollouts/:id/${verb}`, { config: { auth: 'session' } }, async (request): Promise<FlagRolloutDto> => {
        const id = idOf(request);
        return flagRolloutDto(rollouts[verb](id, commandOf(request)));
      });
    }
  };
}
