import fs from 'node:fs';
import path from 'node:path';

/** A small client of a control plane's API for tests, reading its address and token from the data directory. */
export class TestApi {
  constructor(readonly dataDir: string) {}

  get url(): string {
    return (JSON.parse(fs.readFileSync(path.join(this.dataDir, 'server.json'), 'utf8')) as { url: string }).url;
  }

  get token(): string {
    return fs.readFileSync(path.join(this.dataDir, 'token'), 'utf8').trim();
  }

  /** Sends a request; returns status and parsed body. */
  async call<T = unknown>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** Like {@link call} but throws unless the answer is 2xx. */
  async ok<T = unknown>(method: string, route: string, body?: unknown): Promise<T> {
    const r = await this.call<T>(method, route, body);
    if (r.status >= 300) throw new Error(`${method} ${route} answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  }
}

/**
 * `api(method, route, body?)` against a control plane started in the test: the parsed JSON answer,
 * or an error naming the route and the answer unless it is 2xx. `cp` is read at each call, so the
 * client can be made before `beforeAll` starts the control plane.
 */
export function controlPlaneApi(cp: () => { readonly url: string; readonly token: string }) {
  return async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const { url, token } = cp();
    const res = await fetch(`${url}${route}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${route} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };
}
