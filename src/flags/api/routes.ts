import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  InputError,
  NotFoundError,
  compileFlag,
  flagHistoryQuerySchema,
  flagParamsSchema,
  flagToggleBodySchema,
  formatIssues,
  parseInput,
  putFlagBodySchema,
  type FlagDetailDto,
  type FlagDto,
  type FlagListDto,
  type Issue,
  type SegmentMatches,
} from '../../shared/index.js';
import { checkFlag } from '../store/check-flag.js';
import type { FlagStore } from '../store/flag-store.js';
import { flagDetailDto, flagDto } from './flag-dto.js';

/** Options of {@link flagApiRoutes}. */
export interface FlagApiRoutesOptions {
  readonly store: FlagStore;
  /**
   * The environments flags may be written in (the app model's), in the order listings show them;
   * a write to any other is `SLW_ERR_FLAG_ENVIRONMENT_NOT_FOUND`.
   * @default any environment (a control plane without an app model)
   */
  readonly environments?: () => readonly string[];
  /**
   * The app model's named segments, which a definition's rules may name (`segment: 'beta'`); the
   * rule stores a copy of the segment's conditions.
   * @default none (a rule naming a segment is refused)
   */
  readonly segments?: () => SegmentMatches;
}

/** Who a change is recorded as when the caller names nobody. */
export const DEFAULT_API_ACTOR = 'api';

// checkFlag speaks of the compiled flag; the caller wrote the app model's words.
const bodyPath = (path: string): string => `body.definition.${path.replace(/^defaultValue/, 'default')}`;

/**
 * The flags API, on the session-or-token auth of the rest of `/api/v1`:
 *
 * - `GET /api/v1/flags`: every environment with its flags (current version, enabled, definition);
 * - `GET /api/v1/flags/:env/:key[?limit=n]`: one flag with its versions, newest first;
 * - `PUT /api/v1/flags/:env/:key`: body `{ definition, by? }`, the definition written as in the app
 *   model; a new version (created enabled, or updated keeping whether it is enabled); the same
 *   definition again changes nothing;
 * - `POST /api/v1/flags/:env/:key/enable` and `/disable`: the kill switch (body `{ by? }`).
 *
 * Every change is a new version and one `flag.changed` event naming the actor (`by`, else `api`).
 * Bad input is `SLW_ERR_FLAG_INVALID` with one issue per field (`body.definition.rules[0].percentage`).
 */
export function flagApiRoutes(o: FlagApiRoutesOptions) {
  const known = (env: string): boolean => o.environments === undefined || o.environments().includes(env);
  const paramsOf = (request: FastifyRequest) => parseInput(flagParamsSchema, request.params, 'params', 'SLW_ERR_FLAG_INVALID');
  const actorOf = (request: FastifyRequest): string => parseInput(flagToggleBodySchema, request.body ?? {}, 'body', 'SLW_ERR_FLAG_INVALID').by ?? DEFAULT_API_ACTOR;
  const requireEnvironment = (env: string): void => {
    if (known(env)) return;
    const names = o.environments?.() ?? [];
    throw new NotFoundError('SLW_ERR_FLAG_ENVIRONMENT_NOT_FOUND', `no environment ${JSON.stringify(env)} in the app model (it has ${names.map((n) => JSON.stringify(n)).join(', ') || 'none'})`);
  };
  // A flag the store has is shown even in an environment the model no longer declares (seeding reports those).
  const stored = (env: string, key: string) => {
    const found = o.store.tryGet(env, key);
    if (found !== undefined) return found;
    requireEnvironment(env);
    throw new NotFoundError('SLW_ERR_FLAG_NOT_FOUND', `environment ${JSON.stringify(env)} has no flag ${JSON.stringify(key)} (see \`slipway flags list\`)`);
  };

  return (app: FastifyInstance): void => {
    app.get('/api/v1/flags', { config: { auth: 'session' } }, async (): Promise<FlagListDto> => {
      const all = o.store.all();
      const names = [...(o.environments?.() ?? [])];
      for (const s of all) if (!names.includes(s.environment)) names.push(s.environment);
      return { environments: names.map((name) => ({ name, flags: all.filter((s) => s.environment === name).map(flagDto) })) };
    });

    app.get('/api/v1/flags/:env/:key', { config: { auth: 'session' } }, async (request): Promise<FlagDetailDto> => {
      const { env, key } = paramsOf(request);
      const { limit } = parseInput(flagHistoryQuerySchema, request.query, 'query', 'SLW_ERR_FLAG_INVALID');
      return flagDetailDto(stored(env, key), o.store.history(env, key, limit ?? 100));
    });

    app.put('/api/v1/flags/:env/:key', { config: { auth: 'session' } }, async (request): Promise<FlagDto> => {
      const { env, key } = paramsOf(request);
      const body = parseInput(putFlagBodySchema, request.body ?? {}, 'body', 'SLW_ERR_FLAG_INVALID');
      requireEnvironment(env);
      const flag = compileFlag(key, body.definition, o.segments?.() ?? {});
      const issues: Issue[] = checkFlag(flag).map((i) => ({ path: i.path === 'key' ? 'params.key' : bodyPath(i.path), message: i.message }));
      if (issues.length > 0) throw new InputError('SLW_ERR_FLAG_INVALID', formatIssues(issues), { issues });
      return flagDto(o.store.put(env, flag, { actor: body.by ?? DEFAULT_API_ACTOR }));
    });

    for (const [verb, enabled] of [['enable', true], ['disable', false]] as const) {
      app.post(`/api/v1/flags/:env/:key/${verb}`, { config: { auth: 'session' } }, async (request): Promise<FlagDto> => {
        const { env, key } = paramsOf(request);
        const actor = actorOf(request);
        stored(env, key);
        return flagDto(o.store.setEnabled(env, key, enabled, { actor }));
      });
    }
  };
}
