import type { FastifyInstance } from 'fastify';
import { NotFoundError, imageSbomQuerySchema, imagesQuerySchema, parseInput, type ImageRepositoryDto, type ImageRepositoryListDto, type ImageScanDto } from '../shared/index.js';
import type { LocalRegistry } from './registry/local-registry.js';

/**
 * The local registry's API: `GET /api/v1/images` (repositories with their settings and images, each
 * with its scan on push) and `GET /api/v1/images/sbom?repository=&digest=` (the image's CycloneDX SBOM,
 * as stored beside it).
 */
export function imagesRoutes(registry: LocalRegistry): (app: FastifyInstance) => void {
  return (app) => {
    app.get('/api/v1/images', { config: { auth: 'session' } }, async (request): Promise<ImageRepositoryListDto> => {
      const q = parseInput(imagesQuerySchema, request.query, 'query');
      const host = registry.host;
      const repos = registry.store.repositories().filter((r) => q.repository === undefined || r.name === q.repository);
      if (q.repository !== undefined && repos.length === 0) throw new NotFoundError('SLW_ERR_IMAGES_REPOSITORY_NOT_FOUND', `query.repository: no image repository ${q.repository}`);
      const repositories = repos.map((r): ImageRepositoryDto => ({
        name: r.name,
        uri: `${host ?? '<registry not started>'}/${r.name}`,
        tagMutability: r.tagMutability,
        lifecyclePolicy: registry.store.lifecyclePolicyText(r.name),
        images: registry.store.images(r.name).map((i) => ({
          digest: i.digest,
          tags: i.tags,
          pushedAtMs: i.pushedAtMs,
          reference: `${host ?? ''}/${r.name}@${i.digest}`,
          scan: registry.store.scanOf(r.name, i.digest) as ImageScanDto | undefined,
          hasSbom: registry.store.sbomOf(r.name, i.digest) !== undefined,
        })),
      }));
      return { registry: host, repositories };
    });
    app.get('/api/v1/images/sbom', { config: { auth: 'session' } }, async (request, reply) => {
      const q = parseInput(imageSbomQuerySchema, request.query, 'query');
      const sbom = registry.store.sbomOf(q.repository, q.digest);
      if (sbom === undefined) throw new NotFoundError('SLW_ERR_IMAGES_SBOM_NOT_FOUND', `no SBOM is stored for ${q.repository}@${q.digest}`);
      return reply.type('application/vnd.cyclonedx+json').send(sbom);
    });
  };
}
