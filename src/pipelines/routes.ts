import type { FastifyInstance } from 'fastify';
import {
  approvalBodySchema,
  artifactRefParamsSchema,
  artifactsQuerySchema,
  parseInput,
  pipelineLogsQuerySchema,
  pipelineRunParamsSchema,
  pipelineRunsQuerySchema,
  startPipelineRunBodySchema,
  type ArtifactDto,
  type ArtifactListDto,
  type ArtifactPruneDto,
  type PipelineLogsPageDto,
  type PipelineRunListDto,
} from '../shared/index.js';
import type { Artifact, LifecyclePolicy } from './artifacts/index.js';
import type { Pipelines } from './pipelines.js';

/** What the routes need besides the facade. */
export interface PipelineRoutesOptions {
  readonly artifactPolicy: LifecyclePolicy;
  /** Digests prune must keep. */
  inUse(): ReadonlySet<string>;
}

const RUN = '/api/v1/pipeline/runs/:id';

/** An artifact as the API shows it. */
function toArtifactDto(a: Artifact): ArtifactDto {
  return { digest: a.digest, sizeBytes: a.sizeBytes, createdAtMs: a.createdAtMs, service: a.service, commitSha: a.commitSha ?? null, buildNumber: a.buildNumber ?? null, fileCount: a.fileCount, tags: a.tags };
}

/**
 * The pipelines API. The GitHub webhook is registered in its own plugin
 * context whose JSON and form parsers keep the raw bytes: the signature
 * covers the exact body, and the rest of the API keeps the normal parsers.
 */
export function pipelineRoutes(app: FastifyInstance, pipelines: Pipelines, options: PipelineRoutesOptions): void {
  app.get('/api/v1/pipeline/runs', { config: { auth: 'session' } }, async (request): Promise<PipelineRunListDto> => {
    const q = parseInput(pipelineRunsQuerySchema, request.query, 'query');
    return { runs: pipelines.listRuns({ status: q.status, beforeId: q.before, limit: q.limit }) };
  });

  app.post('/api/v1/pipeline/runs', { config: { auth: 'session' } }, async (request, reply) => {
    const body = parseInput(startPipelineRunBodySchema, request.body ?? {}, 'body');
    return reply.status(201).send(await pipelines.run(body));
  });

  app.get(RUN, { config: { auth: 'session' } }, async (request) => pipelines.getRun(parseInput(pipelineRunParamsSchema, request.params, 'params').id));

  app.get(`${RUN}/logs`, { config: { auth: 'session' } }, async (request): Promise<PipelineLogsPageDto> => {
    const { id } = parseInput(pipelineRunParamsSchema, request.params, 'params');
    const q = parseInput(pipelineLogsQuerySchema, request.query, 'query');
    return pipelines.logs(id, q);
  });

  for (const verb of ['approve', 'reject'] as const) {
    app.post(`${RUN}/${verb}`, { config: { auth: 'session' } }, async (request) => {
      const { id } = parseInput(pipelineRunParamsSchema, request.params, 'params');
      const body = parseInput(approvalBodySchema, request.body ?? {}, 'body');
      return verb === 'approve' ? pipelines.approve(id, body) : pipelines.reject(id, body);
    });
  }

  app.post(`${RUN}/cancel`, { config: { auth: 'session' } }, async (request) => pipelines.cancel(parseInput(pipelineRunParamsSchema, request.params, 'params').id));
  app.post(`${RUN}/retry`, { config: { auth: 'session' } }, async (request) => pipelines.retry(parseInput(pipelineRunParamsSchema, request.params, 'params').id));

  app.get('/api/v1/artifacts', { config: { auth: 'session' } }, async (request): Promise<ArtifactListDto> => {
    const q = parseInput(artifactsQuerySchema, request.query, 'query');
    let list = pipelines.artifacts.list({ service: q.service, limit: q.limit ?? 100 });
    if (q.commit !== undefined) list = list.filter((a) => a.commitSha?.startsWith(q.commit!));
    return { artifacts: list.map(toArtifactDto) };
  });

  app.get('/api/v1/artifacts/:ref', { config: { auth: 'session' } }, async (request) => toArtifactDto(pipelines.artifacts.resolve(parseInput(artifactRefParamsSchema, request.params, 'params').ref)));

  app.post('/api/v1/artifacts/prune', { config: { auth: 'session' } }, async (): Promise<ArtifactPruneDto> => {
    const r = pipelines.artifacts.applyLifecycle({ policy: options.artifactPolicy, inUse: options.inUse() });
    return { untagged: r.untagged, deleted: r.deleted };
  });

  void app.register(async (child) => {
    child.removeContentTypeParser(['application/json', 'application/x-www-form-urlencoded']);
    child.addContentTypeParser(['application/json', 'application/x-www-form-urlencoded'], { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    child.post('/api/v1/webhooks/github', { config: { auth: 'webhook' } }, async (request, reply) => {
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const result = await pipelines.handleGithubWebhook({ rawBody, headers: request.headers });
      return reply.status(result.status).send(result.body);
    });
  });
}
