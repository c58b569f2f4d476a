import type { FastifyInstance } from 'fastify';

/** A part of the status report, contributed by a context (the runtime adds tasks, the router its ports). */
export type StatusContributor = () => object | Promise<object>;

/** `GET /api/v1/status`: the whole running system, assembled from each context's contribution (`StatusDto` in src/shared/api/status.ts names the parts). */
export function statusRoutes(app: FastifyInstance, contributors: ReadonlyMap<string, StatusContributor>): void {
  app.get('/api/v1/status', { config: { auth: 'session' } }, async () => {
    const out: Record<string, object> = {};
    for (const [key, contribute] of contributors) out[key] = await contribute();
    return out;
  });
}
