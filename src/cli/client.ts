import fs from 'node:fs';
import { resolveDataDir, type ServerRecordLike } from './paths.js';
import { SlipwayError, UnavailableError, type ErrorBody } from '../shared/index.js';

/** Global options every client verb understands. */
export interface ClientOptions {
  /** API base URL; otherwise `SLIPWAY_URL`, otherwise what `slipway up` recorded in the data directory. */
  readonly url?: string;
  /** Data directory to find the recorded address and the token in. @default '.slipway' */
  readonly data?: string;
}

/** A thin API client for the CLI: finds the server, sends the token, turns API errors into one-line errors. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string | undefined,
  ) {}

  /** Finds the server and the token as DESIGN.md says: flags, then environment, then the data directory. */
  static from(options: ClientOptions): ApiClient {
    const dir = resolveDataDir(options.data);
    let url = options.url ?? process.env.SLIPWAY_URL;
    if (url === undefined) {
      try {
        url = (JSON.parse(fs.readFileSync(dir.serverFile, 'utf8')) as ServerRecordLike).url;
      } catch {
        throw new UnavailableError('SLW_ERR_CLI_NO_SERVER', `no running slipway found in ${dir.root} (start one with \`slipway up\`, or pass --url / set SLIPWAY_URL)`);
      }
    }
    let token = process.env.SLIPWAY_TOKEN || undefined;
    if (token === undefined) {
      try {
        token = fs.readFileSync(dir.tokenFile, 'utf8').trim();
      } catch {
        token = undefined;
      }
    }
    return new ApiClient(url.replace(/\/+$/, ''), token);
  }

  /** The headers of an authenticated request. */
  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...extra };
  }

  /** GET a JSON resource. */
  get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
    return this.request<T>('GET', path, undefined, query);
  }

  /** POST a JSON body. */
  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  /** Sends a request and returns the parsed JSON answer, or throws the API's error as a one-line error. */
  async request<T>(method: string, path: string, body?: unknown, query: Record<string, string | number | undefined> = {}): Promise<T> {
    const url = this.url(path, query);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: this.headers(body === undefined ? {} : { 'content-type': 'application/json' }),
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (cause) {
      throw new UnavailableError('SLW_ERR_CLI_NO_SERVER', `cannot reach slipway at ${this.baseUrl} (${describeCause(cause)}); is \`slipway up\` running?`, { cause });
    }
    const text = await res.text();
    if (!res.ok) throw apiError(res.status, text);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** The full URL of an API path with its query string. */
  url(path: string, query: Record<string, string | number | undefined> = {}): string {
    const u = new URL(path, `${this.baseUrl}/`);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }
}

/** Turns an API error answer into a slipway error with the server's message. */
export function apiError(status: number, text: string): SlipwayError {
  try {
    const body = JSON.parse(text) as ErrorBody;
    const code = body.error.code as ConstructorParameters<typeof SlipwayError>[0];
    return new SlipwayError(code, body.error.message, { issues: body.error.issues });
  } catch {
    return new SlipwayError('SLW_ERR_API_INTERNAL', `the server answered ${status}: ${text.slice(0, 200)}`);
  }
}

function describeCause(cause: unknown): string {
  const c = (cause as { cause?: { code?: string; message?: string } }).cause;
  return c?.code ?? c?.message ?? (cause as Error).message;
}
