import { InputError } from '../shared/index.js';

/**
 * Why a raw request target is refused, or undefined when it is a path.
 * Only origin-form (`/api/v1/status?x=1`) is accepted: an absolute-form
 * target (`http://host/api/v1/status`) or `*` is routed by Fastify on a path
 * it derives itself, so nothing that looks at the target can trust it.
 */
export function requestTargetProblem(rawUrl: string | undefined): string | undefined {
  if (rawUrl !== undefined && rawUrl.startsWith('/')) return undefined;
  const shown = JSON.stringify((rawUrl ?? '').slice(0, 200));
  return `request target ${shown}: expected a path starting with "/" (origin-form), not an absolute URL or "*"`;
}

/** A Host value in the form compared: lowercased, without the default `:80`. */
export function normaliseHost(host: string): string {
  const lower = host.trim().toLowerCase();
  return lower.endsWith(':80') ? lower.slice(0, -3) : lower;
}

/** What the server knows about where it listens. */
export interface ListenerNames {
  /** The port the listener is bound to; undefined before `listen()`. */
  readonly port: number | undefined;
  /** The address it is bound to (`127.0.0.1`, `::1`, `0.0.0.0`, …). */
  readonly address: string | undefined;
  /** The base URL it tells clients (login links), e.g. `http://127.0.0.1:4400`. */
  readonly baseUrl: string | undefined;
  /** Further `host[:port]` names, already normalised (a tunnel, a reverse proxy). */
  readonly extra: readonly string[];
  /** True for `inject()` requests, which carry `Host: localhost:80` and no socket. */
  readonly injected: boolean;
}

const UNSPECIFIED = new Set(['0.0.0.0', '::', '']);

/**
 * The Host values this server answers to: its loopback names with the
 * listener's port, the address it is bound to, the host of its base URL and
 * the configured extra names. A browser sends another name only when it was
 * led here by a name this server does not know (DNS rebinding).
 */
export function allowedHosts(l: ListenerNames): ReadonlySet<string> {
  const hosts = new Set<string>(l.extra);
  if (l.port !== undefined) {
    for (const name of ['127.0.0.1', 'localhost', '[::1]']) hosts.add(normaliseHost(`${name}:${l.port}`));
    if (l.address !== undefined && !UNSPECIFIED.has(l.address)) {
      hosts.add(normaliseHost(`${l.address.includes(':') ? `[${l.address}]` : l.address}:${l.port}`));
    }
  }
  if (l.baseUrl !== undefined) hosts.add(normaliseHost(hostOfUrl(l.baseUrl)));
  if (l.injected) hosts.add('localhost');
  return hosts;
}

function hostOfUrl(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

/** Why a Host header is refused, or undefined when it names this server. */
export function hostProblem(host: string | undefined, allowed: ReadonlySet<string>): string | undefined {
  if (host === undefined || host === '') return 'headers.host: missing; send the Host this server listens on, e.g. 127.0.0.1:<port>';
  if (allowed.has(normaliseHost(host))) return undefined;
  return `headers.host: "${host.slice(0, 200)}" does not name this server; use the address \`slipway up\` prints, or add the name with --allowed-host`;
}

/**
 * Checks and normalises configured extra host names (`name`, `name:port`,
 * `[v6]:port`); throws an `InputError` naming the offending entry.
 */
export function compileAllowedHosts(entries: readonly string[], path = 'allowedHosts'): readonly string[] {
  return Object.freeze(
    entries.map((entry, i) => {
      let parsed: URL | undefined;
      try {
        parsed = new URL(`http://${entry}`);
      } catch {
        parsed = undefined;
      }
      const valid = parsed !== undefined && entry !== '' && parsed.username === '' && parsed.password === '' && parsed.pathname === '/' && parsed.search === '' && parsed.hash === '' && !entry.includes('/');
      if (!valid || parsed === undefined) {
        const message = `expected a host name with an optional port, such as "slipway.example.com" or "localhost:9000", got "${entry}"`;
        throw new InputError('SLW_ERR_API_VALIDATION', `${path}[${i}]: ${message}`, { issues: [{ path: `${path}[${i}]`, message }] });
      }
      return normaliseHost(parsed.host);
    }),
  );
}
