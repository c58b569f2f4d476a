import { Agent, request } from 'undici';
import {
  ConflictError,
  errorCatalog,
  InputError,
  NotAllowedError,
  NotFoundError,
  SlipwayError,
  UnavailableError,
  type ErrorCode,
  type Issue,
  type ShadowReportDto,
} from '../../shared/index.js';
import type { AccessLogPage } from '../metrics/access-log.js';
import type { RouterMetricsSnapshot } from '../metrics/snapshot.js';
import type { ApplyResult, TableStatus } from '../router.js';
import { readRouterInfo } from '../state/state-files.js';
import type { RoutingTable, RoutingTableInput } from '../table/schema.js';
import type { EffectiveWeights, SetWeightsRequest } from '../table/weights.js';

/** Options of {@link RouterClient}. */
export interface RouterClientOptions {
  /** Admin API base URL, e.g. `http://127.0.0.1:4480`. */
  readonly url: string;
  /** The router's bearer token. */
  readonly token: string;
  /** Time allowed for each call. @default 5000 */
  readonly timeoutMs?: number;
}

/** Health of a router process. */
export interface RouterHealth {
  readonly status: 'ok';
  readonly pid: number;
  /** Version of the table being served; -1 when none. */
  readonly version: number;
}

function errorFromBody(status: number, body: unknown): SlipwayError {
  const e = (body as { error?: { code?: string; message?: string; issues?: Issue[] } } | null)?.error;
  const code: ErrorCode = e?.code !== undefined && e.code in errorCatalog ? (e.code as ErrorCode) : 'SLW_ERR_API_INTERNAL';
  const message = e?.message ?? `router answered ${status}`;
  const opts = { issues: e?.issues ?? [] };
  if (status === 400 || status === 413) return new InputError(code, message, opts);
  if (status === 401 || status === 403) return new NotAllowedError(code, message, opts);
  if (status === 404) return new NotFoundError(code, message, opts);
  if (status === 409) return new ConflictError(code, message, opts);
  if (status === 503) return new UnavailableError(code, message, opts);
  return new SlipwayError(code, message, opts);
}

/**
 * The control plane's handle on a router process (the `TrafficRouter` data
 * plane): apply tables, shift and verify weights, read metrics. A router that
 * cannot be reached gives an {@link UnavailableError} `SLW_ERR_ROUTER_UNAVAILABLE`.
 */
export class RouterClient {
  readonly #url: string;
  readonly #token: string;
  readonly #timeoutMs: number;
  readonly #agent = new Agent({ connections: 4, keepAliveTimeout: 10_000 });

  constructor(options: RouterClientOptions) {
    this.#url = options.url.replace(/\/$/, '');
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs ?? 5000;
  }

  /** A client for the router whose `router.json` is in `stateDir`, or undefined when there is none. */
  static fromStateDir(stateDir: string, token: string, options: Omit<RouterClientOptions, 'url' | 'token'> = {}): RouterClient | undefined {
    const info = readRouterInfo(stateDir);
    if (info === undefined || info.adminUrl === '') return undefined;
    return new RouterClient({ ...options, url: info.adminUrl, token });
  }

  /** Applies a whole table (`PUT /admin/table`); the same version again is a no-op, an older one a ConflictError. */
  applyTable(table: RoutingTableInput): Promise<ApplyResult> {
    return this.#call('PUT', '/admin/table', table);
  }

  /** The table being served and its listener ports (`GET /admin/table`). */
  table(): Promise<{ readonly table: RoutingTable | null; readonly status: TableStatus }> {
    return this.#call('GET', '/admin/table');
  }

  /** Sets the weights of every target group of a service (`POST /admin/weights`); the table version goes up by one. */
  setWeights(request: SetWeightsRequest): Promise<ApplyResult> {
    return this.#call('POST', '/admin/weights', request);
  }

  /** The weights the data plane applies now (`GET /admin/verify`). */
  verifyWeights(environment: string, service: string): Promise<EffectiveWeights> {
    return this.#call('GET', `/admin/verify?environment=${encodeURIComponent(environment)}&service=${encodeURIComponent(service)}`);
  }

  /** The access log after position `after` (`GET /admin/access-log`). */
  accessLog(after: number, limit = 5000): Promise<AccessLogPage> {
    return this.#call('GET', `/admin/access-log?after=${after}&limit=${limit}`);
  }

  /** Cumulative metrics (`GET /admin/metrics`); percentiles over `windowMs` when given. */
  metrics(windowMs?: number): Promise<RouterMetricsSnapshot> {
    return this.#call('GET', windowMs === undefined ? '/admin/metrics' : `/admin/metrics?windowMs=${windowMs}`);
  }

  /** The report of shadow comparison `id` (`GET /admin/shadow/:id`); a NotFoundError `SLW_ERR_ROUTER_SHADOW_NOT_FOUND` when the router has none. */
  shadowReport(id: string): Promise<ShadowReportDto> {
    return this.#call('GET', `/admin/shadow/${encodeURIComponent(id)}`);
  }

  /** Whether the router answers (`GET /admin/health`). */
  health(): Promise<RouterHealth> {
    return this.#call('GET', '/admin/health');
  }

  /** Closes the client's connections. */
  close(): Promise<void> {
    return this.#agent.close();
  }

  async #call<T>(method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown): Promise<T> {
    let res;
    try {
      res = await request(`${this.#url}${path}`, {
        method,
        dispatcher: this.#agent,
        headers: { authorization: `Bearer ${this.#token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
      });
    } catch (cause) {
      throw new UnavailableError('SLW_ERR_ROUTER_UNAVAILABLE', `router at ${this.#url} unreachable: ${(cause as Error).message}`, { cause });
    }
    const text = await res.body.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch (cause) {
      throw new UnavailableError('SLW_ERR_ROUTER_UNAVAILABLE', `router at ${this.#url} answered ${res.statusCode} with a non-JSON body`, { cause });
    }
    if (res.statusCode >= 400) throw errorFromBody(res.statusCode, json);
    return json as T;
  }
}
