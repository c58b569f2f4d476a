import type { FastifyInstance } from 'fastify';

/** A part of the status report, contributed by a context (the runtime adds tasks, the router its ports). */
export type StatusContributor = () => Record<string, unknown> | Promise<Record<string, unknown>>;

/** `GET /api/v1/status`: the whole running system, assembled from each context's contribution. */
export function statusRoutes(app: FastifyInstance, contributors: ReadonlyMap<string, StatusContributor>): void {
  app.get('/api/v1/status', { config: { auth: 'session' } }, async () => {
    const out: Record<string, unknown> = {};
    for (const [key, contribute] of contributors) out[key] = await contribute();
    return out;
  });
}
