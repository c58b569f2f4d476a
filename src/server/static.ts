import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** The built dashboard: `web/dist` of this package, found from src/ or dist/src/. */
export function dashboardDir(): string | undefined {
  const here = path.dirname(new URL(import.meta.url).pathname);
  for (const candidate of ['../../web/dist', '../../../web/dist']) {
    const dir = path.resolve(here, candidate);
    if (fs.existsSync(path.join(dir, 'index.html'))) return dir;
  }
  return undefined;
}

/**
 * Serves the dashboard's static files at `/`, with the SPA fallback: any GET
 * outside `/api/` that is not a file answers `index.html`. Hashed assets are
 * cached for a year; `index.html` never, so a new build shows at once.
 * Open: these files carry no data. The path is the one the router matched
 * (decoded), never a second reading of the raw URL.
 */
export function dashboardRoutes(app: FastifyInstance, dir: string | undefined): void {
  app.get('/*', { config: { auth: 'open' } }, async (request, reply) => {
    const urlPath = ((request.params as { '*'?: string })['*'] ?? '').replace(/^\/+/, '');
    // `/api/...` has its own (authenticated) catch-all; `//api`, `/API` and the like are no pages either.
    if (/^api(\/|$)/i.test(urlPath)) return reply.callNotFound();
    if (dir === undefined) {
      return reply.type('text/plain; charset=utf-8').send('The dashboard is not built. Run `npm run build:web`; the API is at /api/v1.\n');
    }
    const file = path.resolve(dir, urlPath);
    // Never serve outside the dashboard folder, whatever the URL says.
    const inside = file === dir || file.startsWith(`${dir}${path.sep}`);
    if (inside && urlPath !== '' && fs.existsSync(file) && fs.statSync(file).isFile()) {
      const immutable = urlPath.startsWith('assets/');
      return reply
        .type(TYPES[path.extname(file)] ?? 'application/octet-stream')
        .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
        .send(fs.createReadStream(file));
    }
    return reply.type(TYPES['.html']!).header('cache-control', 'no-cache').send(fs.createReadStream(path.join(dir, 'index.html')));
  });
}
