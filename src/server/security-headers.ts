import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';

/**
 * The Content-Security-Policy of every response. The built dashboard loads
 * only its own hashed scripts, styles and the elkjs worker from `/assets`,
 * talks only to its own origin (fetch and EventSource), and has no inline
 * script or `<style>`: charts and the service map style elements through the
 * CSSOM (`element.style`), which `style-src` does not govern. Its favicon is
 * a `data:` SVG, hence `img-src data:`.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every response of the API server and dashboard carries. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  // Another site's page cannot pull API answers in as a <script> or <img> either.
  'cross-origin-resource-policy': 'same-origin',
});

/** Sets {@link SECURITY_HEADERS} on a raw response; a route may still override one. */
export function setSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}

/**
 * Puts the security headers on every response. They go on the raw response
 * as the request arrives, not in `onSend`: that way they are also on the
 * answers of routes that take the socket over (the event stream) and on
 * refusals from the hooks that run after this one.
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', async (_request, reply) => {
    setSecurityHeaders(reply.raw);
  });
}
