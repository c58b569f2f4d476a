// A deliberately tiny HTTP toolkit: a router, JSON in and out, and a client for
// calling other services. It uses node:http on both sides so the OpenTelemetry
// HTTP instrumentation sees every request and propagates trace context.
import http from 'node:http';

/** An error with an HTTP status; the router turns it into `{ error: { code, message } }`. */
export class HttpError extends Error {
  /**
   * @param {number} status HTTP status code
   * @param {string} code machine-readable, e.g. `PRODUCT_NOT_FOUND`
   * @param {string} message for humans
   */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * Routes `METHOD /path/:param` to handlers. A handler receives
 * `{ req, params, query, body }` and returns `{ status?, json }`,
 * `{ status?, html }`, `{ status?, script }` (JavaScript) or `{ status: 204 }`; it throws
 * HttpError for errors.
 */
export class Router {
  #routes = [];

  /** @param {string} method @param {string} pattern e.g. `/products/:id` @param {Function} handler */
  on(method, pattern, handler) {
    const names = [];
    const source = pattern.replace(/:(\w+)/g, (_, name) => (names.push(name), '([^/]+)'));
    this.#routes.push({ method, regex: new RegExp(`^${source}$`), names, handler });
    return this;
  }
  get(pattern, handler) { return this.on('GET', pattern, handler); }
  post(pattern, handler) { return this.on('POST', pattern, handler); }

  /** Finds the handler for a request: `{ handler, params }`, or an HttpError (404/405). */
  match(method, pathname) {
    let pathMatched = false;
    for (const route of this.#routes) {
      const m = route.regex.exec(pathname);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) continue;
      try {
        const params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(m[i + 1])]));
        return { handler: route.handler, params };
      } catch {
        return new HttpError(400, 'INVALID_PATH', `malformed path ${pathname}`);
      }
    }
    return pathMatched
      ? new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${pathname}`)
      : new HttpError(404, 'NOT_FOUND', `no route for ${method} ${pathname}`);
  }
}

/** Reads a JSON object from a request body (at most `limitBytes`); an empty body is `{}`. */
export async function readJson(req, limitBytes = 64 * 1024) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limitBytes) throw new HttpError(413, 'BODY_TOO_LARGE', `body exceeds ${limitBytes} bytes`);
    chunks.push(chunk);
  }
  if (size === 0) return {};
  let value;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'INVALID_JSON', 'request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'INVALID_JSON', 'request body must be a JSON object');
  }
  return value;
}

/** Writes `body` as JSON with the given status. */
export function sendJson(res, status, body) {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

/** Writes a text body (a page, a script) with its content type. */
export function sendText(res, status, contentType, text, headers = {}) {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Writes an HTML page. */
export function sendHtml(res, status, html) {
  sendText(res, status, 'text/html; charset=utf-8', html);
}

/** The error a peer call rejects with when the peer cannot be reached or is too slow. */
export class PeerUnavailableError extends Error {
  constructor(url, cause) {
    super(`${url} is unavailable: ${cause.message}`, { cause });
    this.url = url;
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * Calls another service and returns `{ status, body }` (body parsed as JSON
 * when the response says so). Any HTTP status resolves; a connection failure or
 * a timeout rejects with PeerUnavailableError.
 * @param {string} baseUrl e.g. `http://127.0.0.1:3001` (from CATALOG_URL)
 * @param {string} path e.g. `/products/42`
 * @param {{ method?: string, body?: unknown, timeoutMs?: number }} [options] timeoutMs defaults to 3000
 */
export function callService(baseUrl, path, { method = 'GET', body, timeoutMs = 3000 } = {}) {
  const url = new URL(path, baseUrl);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method,
      agent,
      headers: {
        accept: 'application/json',
        ...(payload && { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
      },
    });
    const timer = setTimeout(() => req.destroy(new Error(`no response within ${timeoutMs} ms`)), timeoutMs);
    const fail = (err) => {
      clearTimeout(timer);
      reject(new PeerUnavailableError(url.href, err));
    };
    req.on('error', fail);
    req.on('response', (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        const isJson = (res.headers['content-type'] ?? '').includes('json');
        try {
          resolve({ status: res.statusCode ?? 0, body: isJson && text ? JSON.parse(text) : text });
        } catch (err) {
          fail(err);
        }
      });
    });
    req.end(payload);
  });
}
