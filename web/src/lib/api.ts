import type { ErrorBody } from '../../../src/shared/index.js';

/** An API answer other than 2xx, with the server's error code and issues. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: readonly { readonly path: string; readonly message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** True when the route itself does not exist on this server (a feature that has not landed). */
  get routeMissing(): boolean {
    return this.status === 404 && this.code === 'SLW_ERR_API_NOT_FOUND';
  }
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Hears of every 401: the session expired or was never opened. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/** Options of {@link api}. */
export interface ApiOptions {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly body?: unknown;
  readonly signal?: AbortSignal;
}

/**
 * Calls the API on the dashboard's own origin. The session cookie goes along
 * (same origin); every state-changing request carries `x-slipway-csrf: 1`,
 * which a cross-site form cannot send.
 */
export async function api<T>(path: string, options: ApiOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-slipway-csrf'] = '1';
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  const text = await res.text();
  const parsed: unknown = text === '' ? undefined : safeJson(text);
  if (!res.ok) {
    if (res.status === 401) for (const l of unauthorizedListeners) l();
    const err = (parsed as Partial<ErrorBody> | undefined)?.error;
    throw new ApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? `${method} ${path} answered ${res.status}`, err?.issues ?? []);
  }
  return parsed as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A query string from the defined, non-empty values of `params`. */
export function qs(params: Readonly<Record<string, string | number | undefined>>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s === '' ? '' : `?${s}`;
}
