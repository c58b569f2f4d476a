import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../core/index.js';
import { pickTarget } from '../select/pick-target.js';
import type { CompiledService, CompiledTargetGroup } from '../table/compiled.js';
import { forwardResponseHeaders } from './forward-headers.js';
import { requestIds, type AccessLog } from '../metrics/access-log.js';
import type { PrimaryTap } from './mirror.js';
import type { UpstreamHandler } from './upstream/dispatch.js';
import type { UpstreamTarget } from './upstream-target.js';

/** Methods a retry cannot make worse once the request reached a target (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);
/** Errors that mean the target was not reached or dropped the connection before answering. */
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'UPSTREAM_CONNECT_TIMEOUT', 'ECONNRESET', 'EPIPE', 'UPSTREAM_SOCKET', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Answers the router makes itself, with their JSON bodies. */
export function sendRouterError(res: ServerResponse, status: 502 | 503 | 504 | 404, body: Buffer | string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, ['content-type', 'application/json', 'content-length', String(Buffer.byteLength(body)), 'cache-control', 'no-store']);
  res.end(body);
}

/**
 * One client request on its way through a target: the upstream client's handler
 * that streams the target's answer to the client with backpressure, records the
 * metrics and turns failures into 502/504 (retrying once where that is safe).
 */
export class Exchange implements UpstreamHandler {
  #target: UpstreamTarget;
  #startedMs = 0;
  #connected = false;
  #headersSent = false;
  #retried = false;
  #resume: (() => void) | undefined;
  #abort: ((err?: Error) => void) | undefined;
  #done = false;
  #watchingClose = false;
  #status = 0;
  #logged = false;
  #tapping = false;

  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly service: CompiledService,
    private readonly group: CompiledTargetGroup,
    target: UpstreamTarget,
    private readonly headers: string[],
    private readonly hasBody: boolean,
    private readonly setCookie: string | undefined,
    private readonly ctx: { readonly clock: Clock; readonly accessLog: AccessLog },
    /** When the request reached the router (`performance.now()`). */
    private readonly arrivedMs: number,
    /** The mirror copy of this request, told what the primary sends and gets. */
    private readonly tap?: PrimaryTap,
  ) {
    this.#target = target;
    this.clock = ctx.clock;
  }

  private readonly clock: Clock;

  /** Records the request in the access log, once: its status, or 0 when the client got none. */
  #log(status: number, routerMade: boolean): void {
    if (this.#logged) return;
    this.#logged = true;
    const t = this.#target;
    const ids = requestIds(this.headers);
    this.ctx.accessLog.record({
      timeMs: this.clock.now(), environment: this.service.environment, service: this.service.service, targetGroup: this.group.id, target: t.address,
      method: this.req.method ?? '', url: this.req.url ?? '/', status, routerMade, durationMs: performance.now() - this.arrivedMs, requestId: ids.requestId, traceId: ids.traceId,
    });
  }

  /** Sends the request to its target. */
  start(): void {
    this.group.metrics.requestCount++;
    this.#send();
  }

  #send(): void {
    const target = this.#target;
    target.outstanding++;
    this.#startedMs = performance.now();
    target.pool.dispatch(
      {
        method: this.req.method ?? 'GET',
        path: this.req.url ?? '/',
        headers: this.headers,
        // Read by the client only once a connection is up, so a refused connection leaves the body unread.
        body: this.hasBody ? this.req : null,
        headersTimeoutMs: this.service.timeoutMs,
        bodyTimeoutMs: 0,
      },
      this,
    );
  }

  onConnect(abort: (err?: Error) => void): void {
    this.#connected = true;
    this.#abort = abort;
    const tap = this.tap;
    if (tap !== undefined && this.hasBody && !this.#tapping) {
      // The mirror sees the body as it streams to the target; its copy goes out only once the
      // body is whole, so the primary never waits for it.
      this.#tapping = true;
      tap.requestStart();
      this.req.on('data', (chunk: Buffer) => tap.requestChunk(chunk));
      this.req.once('end', () => tap.requestEnd());
    }
  }

  onHeaders(statusCode: number, rawHeaders: string[], resume: () => void, statusText: string): boolean {
    if (statusCode < 200) return true;
    const seconds = (performance.now() - this.#startedMs) / 1000;
    this.group.metrics.recordTargetResponse(statusCode, seconds, this.clock.now());
    this.tap?.responseHeaders(statusCode, rawHeaders, seconds);
    const res = this.res;
    if (res.destroyed) {
      this.#abort?.();
      return false;
    }
    this.#resume = resume;
    this.#headersSent = true;
    this.#status = statusCode;
    res.writeHead(statusCode, statusText, forwardResponseHeaders(rawHeaders, this.setCookie));
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.tap?.responseData(chunk);
    const res = this.res;
    if (res.destroyed) {
      this.#abort?.();
      return false;
    }
    if (res.write(chunk)) return true;
    // Backpressure: the upstream connection stops reading the target until the client drains.
    res.once('drain', this.#onDrain);
    if (!this.#watchingClose) {
      this.#watchingClose = true;
      res.once('close', this.#onClientClose);
    }
    return false;
  }

  readonly #onDrain = (): void => this.#resume?.();
  // A client gone while the target is paused would never drain: stop the target's answer.
  readonly #onClientClose = (): void => {
    if (!this.#done) this.#abort?.(new Error('client closed the connection'));
  };

  onComplete(): void {
    this.#finish();
    this.res.end();
    this.tap?.responseEnd();
    this.#log(this.#status, false);
  }

  onError(err: Error): void {
    this.#finish();
    // The client went away (ALB's 460): nothing to answer and not the router's failure.
    if (this.res.destroyed) {
      this.#log(460, false);
      return this.tap?.primaryFailed();
    }
    if (this.#headersSent) {
      // Mid-body failure: the status is gone; cutting the connection tells the client.
      this.res.destroy(err);
      this.tap?.primaryFailed();
      this.#log(this.#status, false);
      return;
    }
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code === 'UPSTREAM_HEADERS_TIMEOUT') {
      this.#fail(504, 'target timed out');
      return;
    }
    const safe = !this.#connected || (!this.hasBody && IDEMPOTENT.has(this.req.method ?? ''));
    if (!this.#retried && safe && CONNECT_ERRORS.has(code)) {
      const next = pickTarget(this.group, this.#target);
      if (next !== undefined) {
        this.#retried = true;
        this.#done = false;
        this.#connected = false;
        this.#target = next;
        this.#send();
        return;
      }
    }
    this.#fail(502, 'target unreachable');
  }

  #finish(): void {
    if (this.#done) return;
    this.#done = true;
    this.#target.outstanding--;
  }

  #fail(status: 502 | 504, message: string): void {
    this.tap?.primaryFailed();
    this.group.metrics.recordElbError(status);
    const s = this.service;
    sendRouterError(this.res, status, JSON.stringify({ error: message, environment: s.environment, service: s.service, targetGroup: this.group.id }));
    this.#log(status, true);
  }
}
