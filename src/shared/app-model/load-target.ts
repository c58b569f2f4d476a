import { noSuchMessage } from './names.js';

/** What a load test's target needs to know of the app: its environments' ingress ports and its services' ingress prefixes. */
export interface LoadTargetApp {
  readonly environments: Readonly<Record<string, { readonly ingressPort: number }>>;
  readonly services: Readonly<Record<string, { readonly ingress?: { readonly pathPrefix: string } | undefined }>>;
}

/** A load test's target as written (`target` of a `loadtest` action). */
export interface LoadTargetDefinition {
  readonly environment?: string | undefined;
  readonly service?: string | undefined;
  readonly path?: string | undefined;
  readonly url?: string | undefined;
}

/** A target resolved to an environment's ingress and the normalised path (with query) sent there, or the problem, with the key it is under. */
export type LoadTargetResolution =
  | { readonly ok: true; readonly environment: string; readonly path: string; readonly service: string }
  | { readonly ok: false; readonly key: 'environment' | 'service' | 'path' | 'url' | undefined; readonly message: string };

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const BASE = 'http://ingress.invalid';

/** Whether `path` is under `prefix` as the router matches it (`/api` matches `/api`, `/api/x`, `/api?q`, not `/apiary`). */
export function underPrefix(path: string, prefix: string): boolean {
  if (!path.startsWith(prefix)) return false;
  if (path.length === prefix.length || prefix.endsWith('/')) return true;
  const next = path.charCodeAt(prefix.length);
  return next === 0x2f || next === 0x3f;
}

/** The service an ingress path routes to (the longest matching prefix, as the router picks), or undefined. */
export function serviceOfPath(app: LoadTargetApp, path: string): string | undefined {
  let best: { name: string; length: number } | undefined;
  for (const [name, s] of Object.entries(app.services)) {
    const prefix = s.ingress?.pathPrefix;
    if (prefix !== undefined && underPrefix(path, prefix) && (best === undefined || prefix.length > best.length)) best = { name, length: prefix.length };
  }
  return best?.name;
}

/**
 * Resolves a load test's target to one of the app's own ingresses: an environment and the path the
 * requests carry, normalised as a URL parser reads it (dot segments removed, characters escaped), so
 * that what is checked is exactly what is sent. A URL must be on loopback at an environment's
 * ingress port; every address that is not one of the app's ingresses is refused.
 */
export function resolveLoadTarget(app: LoadTargetApp, target: LoadTargetDefinition): LoadTargetResolution {
  const environments = Object.keys(app.environments);
  const ingresses = (): string =>
    environments.map((e) => `${e} (${app.environments[e]!.ingressPort === 0 ? 'a port picked at start' : `http://127.0.0.1:${app.environments[e]!.ingressPort}`})`).join(', ');
  let environment: string;
  let rawPath: string;
  if (target.url !== undefined) {
    if (target.environment !== undefined || target.service !== undefined || target.path !== undefined) return { ok: false, key: 'url', message: 'give url alone, or environment with a service or a path' };
    let url: URL;
    try {
      url = new URL(target.url);
    } catch {
      return { ok: false, key: 'url', message: `${JSON.stringify(target.url)} is not a URL` };
    }
    if (url.protocol !== 'http:') return { ok: false, key: 'url', message: `a load test targets the app's own ingresses over http, got ${JSON.stringify(url.protocol)}` };
    if (!LOOPBACK.has(url.hostname)) return { ok: false, key: 'url', message: `${JSON.stringify(target.url)} is not an ingress of this app: a load test targets only the app's own ingresses (${ingresses()}), got host ${JSON.stringify(url.hostname)}` };
    if (url.username !== '' || url.password !== '') return { ok: false, key: 'url', message: 'a load test URL carries no user name or password' };
    const port = Number(url.port === '' ? 80 : url.port);
    const env = environments.find((e) => app.environments[e]!.ingressPort === port && port !== 0);
    if (env === undefined) return { ok: false, key: 'url', message: `${JSON.stringify(target.url)} is not an ingress of this app: no environment's ingress listens on port ${port} (the app's ingresses: ${ingresses()}); or name the environment with { environment }` };
    environment = env;
    rawPath = `${url.pathname}${url.search}`;
  } else {
    if (target.environment === undefined) return { ok: false, key: undefined, message: 'expected an environment (with a service or a path), or the url of one of the app\'s ingresses' };
    if (!environments.includes(target.environment)) return { ok: false, key: 'environment', message: noSuchMessage('environment', target.environment, environments) };
    environment = target.environment;
    if (target.service !== undefined) {
      const services = Object.keys(app.services);
      const s = app.services[target.service];
      if (s === undefined) return { ok: false, key: 'service', message: noSuchMessage('service', target.service, services) };
      if (s.ingress === undefined) return { ok: false, key: 'service', message: `service "${target.service}" has no ingress: a load test reaches a service through its environment's ingress; give it \`ingress: { pathPrefix }\`` };
    }
    rawPath = target.path ?? (target.service !== undefined ? app.services[target.service]!.ingress!.pathPrefix : '/');
  }
  const parsed = new URL(rawPath, BASE);
  if (parsed.origin !== BASE) return { ok: false, key: target.url !== undefined ? 'url' : 'path', message: `${JSON.stringify(rawPath)} is not a path on the ingress` };
  const path = `${parsed.pathname}${parsed.search}`;
  const service = serviceOfPath(app, path);
  const key = target.url !== undefined ? 'url' : 'path';
  if (service === undefined) {
    const prefixes = Object.entries(app.services).flatMap(([n, s]) => (s.ingress ? [`${s.ingress.pathPrefix} (${n})`] : []));
    return { ok: false, key, message: `${JSON.stringify(path)} routes to no service on the ingress of ${environment}: ${prefixes.length > 0 ? `its prefixes are ${prefixes.join(', ')}` : 'no service has an ingress'}` };
  }
  if (target.service !== undefined && service !== target.service) return { ok: false, key, message: `${JSON.stringify(path)} routes to service "${service}", not "${target.service}"` };
  return { ok: true, environment, path, service };
}
