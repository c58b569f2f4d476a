import type { FastifyInstance } from 'fastify';
import type { EventLog } from '../../core/index.js';
import type { DeploymentEngine, LocalEnvironments } from '../../deployments/index.js';
import type { SecretVersionInfo, SqliteSecretStore } from '../../pipelines/index.js';
import {
  servicesIn,
  ConflictError,
  NotFoundError,
  parseInput,
  secretParamsSchema,
  setSecretBodySchema,
  type ResolvedApp,
  type SecretDto,
  type SecretListDto,
  type SecretRotationDto,
  type SecretSetDto,
} from '../../shared/index.js';

/** What the secrets API works with. */
export interface SecretRoutesOptions {
  readonly app: ResolvedApp;
  readonly store: SqliteSecretStore;
  readonly events: EventLog;
  /** The running environments and the deployment engine: a new version rolls the services that declare it. */
  readonly environments: LocalEnvironments;
  readonly deployments: DeploymentEngine;
}

/** The services of the app that declare a secret. */
function usersOf(app: ResolvedApp, name: string, environment?: string): string[] {
  return Object.values(environment === undefined ? app.services : servicesIn(app, environment))
    .filter((s) => s.secrets.includes(name))
    .map((s) => s.name);
}

/** A secret as the API shows it: never its value. */
export function secretDto(app: ResolvedApp, s: SecretVersionInfo): SecretDto {
  return { name: s.name, version: s.version, updatedAt: new Date(s.updatedAtMs).toISOString(), usedBy: usersOf(app, s.name) };
}

/**
 * Rolls every running service that declares `name` onto its new version: in each environment where
 * the service serves from a revision pinned to another version, a deployment of the same code (the
 * environment's strategy) whose new revision gets the new version. A refused deployment (one already
 * in progress, a traffic split) is reported, not thrown: the version is stored either way.
 */
export function rotateSecret(o: SecretRoutesOptions, set: SecretVersionInfo): SecretRotationDto[] {
  const out: SecretRotationDto[] = [];
  for (const environment of Object.keys(o.app.environments)) {
    for (const service of usersOf(o.app, set.name, environment)) {
      const serving = o.environments.describe(environment, service).revisions.find((r) => r.weightPercent === 100);
      if (!serving || serving.secrets[set.name] === set.version) continue;
      try {
        const d = o.deployments.service.start({ service, environment, revision: serving.revision, sourceDir: serving.sourceDir, env: { ...serving.env } }, 'Deploy', null, {
          reason: `secret ${set.name} rotated to version ${set.version}`,
        });
        out.push({ environment, service, deploymentId: d.id, error: null });
      } catch (err) {
        out.push({ environment, service, deploymentId: null, error: (err as Error).message });
      }
    }
  }
  if (out.length > 0) o.events.append({ type: 'secret.rotated', subject: `secret/${set.name}`, data: { name: set.name, version: set.version, deployments: out } });
  return out;
}

/**
 * `GET /api/v1/secrets` (names, versions, users), `PUT /api/v1/secrets/:name` (body `{ value }`; a new
 * version, which rolls the services that declare it) and `DELETE /api/v1/secrets/:name` (refused while
 * a service declares it). No route returns a value.
 */
export function secretRoutes(o: SecretRoutesOptions) {
  return (app: FastifyInstance): void => {
    const nameOf = (request: { params: unknown }) => parseInput(secretParamsSchema, request.params, 'params', 'SLW_ERR_PIPELINE_SECRET_INVALID').name;
    app.get('/api/v1/secrets', { config: { auth: 'session' } }, async (): Promise<SecretListDto> => ({ secrets: o.store.describe().map((s) => secretDto(o.app, s)) }));
    app.put('/api/v1/secrets/:name', { config: { auth: 'session' } }, async (request): Promise<SecretSetDto> => {
      const name = nameOf(request);
      const { value } = parseInput(setSecretBodySchema, request.body ?? {}, 'body', 'SLW_ERR_PIPELINE_SECRET_INVALID');
      const set = o.store.put(name, value);
      o.events.append({ type: 'secret.set', subject: `secret/${name}`, data: { name, version: set.version } });
      const rotations = usersOf(o.app, name).length > 0 ? rotateSecret(o, set) : [];
      return { ...secretDto(o.app, set), rotations };
    });
    app.delete('/api/v1/secrets/:name', { config: { auth: 'session' } }, async (request): Promise<SecretDto> => {
      const name = nameOf(request);
      const current = o.store.tryDescribe(name);
      if (!current) throw new NotFoundError('SLW_ERR_PIPELINE_SECRET_NOT_FOUND', `no secret ${name} (see \`slipway secrets list\`)`);
      const users = usersOf(o.app, name);
      // Refused rather than warned: the next start of those services' tasks would fail without it.
      if (users.length > 0) {
        throw new ConflictError('SLW_ERR_PIPELINE_SECRET_IN_USE', `secret ${name} is declared by ${users.map((u) => `services.${u}.secrets`).join(', ')}; remove it there (and deploy) before removing the secret`);
      }
      o.store.remove(name);
      o.events.append({ type: 'secret.removed', subject: `secret/${name}`, data: { name } });
      return secretDto(o.app, current);
    });
  };
}
