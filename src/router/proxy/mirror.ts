import type { IncomingMessage } from 'node:http';
import type { Clock } from '../../core/index.js';
import { pickTarget } from '../select/pick-target.js';
import { compareAnswers, type ComparedAnswer } from '../shadow/compare-answers.js';
import type { CompiledMirror } from '../table/compiled.js';
import type { UpstreamHandler } from './upstream/dispatch.js';
import type { UpstreamTarget } from './upstream-target.js';

/** What the primary exchange tells its mirror copy: the request body as it streams, and the primary's answer. */
export interface PrimaryTap {
  /** The primary's request body starts (again, on a retry before anything was read). */
  requestStart(): void;
  requestChunk(chunk: Buffer): void;
  requestEnd(): void;
  responseHeaders(status: number, rawHeaders: readonly string[], seconds: number): void;
  responseData(chunk: Buffer): void;
  responseEnd(): void;
  /** The primary got no whole answer (the router answered itself, or the client went away). */
  primaryFailed(): void;
}

/** Lower-case header map of a raw `[name, value, …]` list. */
function headerMap(raw: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    const prev = map.get(name);
    map.set(name, prev === undefined ? value : `${prev}, ${value}`);
  }
  return map;
}

/** A bounded buffer: chunks up to `limit` bytes, then only a flag. */
class BodyBuffer {
  #chunks: Buffer[] = [];
  #bytes = 0;
  overflow = false;
  constructor(private readonly limit: number) {}
  add(chunk: Buffer): void {
    if (this.overflow) return;
    this.#bytes += chunk.length;
    if (this.#bytes > this.limit) {
      this.overflow = true;
      this.#chunks = [];
      return;
    }
    this.#chunks.push(chunk);
  }
  reset(): void {
    this.#chunks = [];
    this.#bytes = 0;
    this.overflow = false;
  }
  take(): Buffer {
    const b = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks);
    this.#chunks = [];
    return b;
  }
}

type Side = { status: number; headers: Map<string, string>; seconds: number };

/**
 * One mirrored request: a copy sent to the mirror group once the request body is whole (at
 * once without one), and, for a shadow comparison, both answers buffered and compared when
 * both are in. It never touches the client's response: the primary only reports to it.
 */
class MirrorCopy implements PrimaryTap, UpstreamHandler {
  readonly #request: BodyBuffer;
  readonly #primaryBody: BodyBuffer;
  readonly #shadowBody: BodyBuffer;
  #primary: Side | undefined;
  #shadow: Side | undefined;
  #primaryDone = false;
  #primaryFailed = false;
  #shadowDone = false;
  #shadowError: string | null = null;
  #sent = false;
  #abandoned = false;
  #startedMs = 0;

  constructor(
    private readonly mirror: CompiledMirror,
    private readonly target: UpstreamTarget,
    private readonly method: string,
    private readonly url: string,
    private readonly headers: readonly string[],
    private readonly clock: Clock,
  ) {
    this.#request = new BodyBuffer(mirror.maxBodyBytes);
    this.#primaryBody = new BodyBuffer(mirror.maxBodyBytes);
    this.#shadowBody = new BodyBuffer(mirror.maxBodyBytes);
    mirror.state.inFlight++;
    target.outstanding++;
  }

  /** Sends the copy (once), with the buffered body. */
  send(body: Buffer | null): void {
    if (this.#sent) return;
    this.#sent = true;
    const m = this.mirror;
    m.group.metrics.requestCount++;
    m.group.metrics.mirroredRequestCount++;
    if (m.recorder !== undefined) m.recorder.mirrored++;
    this.#startedMs = performance.now();
    this.target.pool.dispatch(
      {
        method: this.method,
        path: this.url,
        headers: [...this.headers, 'x-slipway-mirrored', '1'],
        body,
        headersTimeoutMs: m.timeoutMs,
        bodyTimeoutMs: m.timeoutMs,
      },
      this,
    );
  }

  // The primary's side.
  requestStart(): void {
    this.#request.reset();
  }
  requestChunk(chunk: Buffer): void {
    this.#request.add(chunk);
  }
  requestEnd(): void {
    if (this.#sent || this.#abandoned) return;
    if (this.#request.overflow) return this.#abandon('bodyTooLarge');
    this.send(this.#request.take());
  }
  responseHeaders(status: number, rawHeaders: readonly string[], seconds: number): void {
    if (this.mirror.compare !== undefined) this.#primary = { status, headers: headerMap(rawHeaders), seconds };
  }
  responseData(chunk: Buffer): void {
    if (this.mirror.compare !== undefined) this.#primaryBody.add(chunk);
  }
  responseEnd(): void {
    this.#primaryDone = true;
    // The target answered without reading the whole body: there is nothing to copy.
    if (!this.#sent) return this.#abandon('primaryFailed');
    this.#settle();
  }
  primaryFailed(): void {
    this.#primaryFailed = true;
    this.#primaryDone = true;
    if (!this.#sent) return this.#abandon('primaryFailed');
    this.#settle();
  }

  // The copy's side (the upstream client's handler).
  onConnect(): void {}
  onHeaders(statusCode: number, rawHeaders: string[]): boolean {
    if (statusCode < 200) return true;
    const seconds = (performance.now() - this.#startedMs) / 1000;
    this.mirror.group.metrics.recordTargetResponse(statusCode, seconds, this.clock.now());
    if (this.mirror.compare !== undefined) this.#shadow = { status: statusCode, headers: headerMap(rawHeaders), seconds };
    return true;
  }
  onData(chunk: Buffer): boolean {
    if (this.mirror.compare !== undefined) this.#shadowBody.add(chunk);
    return true;
  }
  onComplete(): void {
    this.#shadowFinished(null);
  }
  onError(err: Error): void {
    const code = (err as NodeJS.ErrnoException).code;
    const timedOut = code === 'UPSTREAM_HEADERS_TIMEOUT' || code === 'UPSTREAM_BODY_TIMEOUT';
    this.mirror.group.metrics.recordElbError(timedOut ? 504 : 502);
    this.#shadowFinished(timedOut ? 'timeout' : (code ?? err.message));
  }

  #shadowFinished(error: string | null): void {
    if (this.#shadowDone) return;
    this.#shadowDone = true;
    this.#shadowError = error;
    this.#release();
    this.#settle();
  }

  #release(): void {
    this.mirror.state.inFlight--;
    this.target.outstanding--;
  }

  #abandon(reason: 'bodyTooLarge' | 'primaryFailed'): void {
    if (this.#abandoned || this.#sent) return;
    this.#abandoned = true;
    this.#release();
    this.mirror.recorder?.skip(reason, this.clock.now());
  }

  /** Compares once both answers are in. */
  #settle(): void {
    const recorder = this.mirror.recorder;
    const compare = this.mirror.compare;
    if (!this.#primaryDone || !this.#shadowDone || recorder === undefined || compare === undefined) return;
    const now = this.clock.now();
    const primary = this.#primary;
    if (this.#primaryFailed || primary === undefined) return recorder.skip('primaryFailed', now);
    if (this.#primaryBody.overflow || this.#shadowBody.overflow) return recorder.skip('bodyTooLarge', now);
    const shadow = this.#shadow;
    if (this.#shadowError !== null || shadow === undefined) {
      recorder.record({ method: this.method, url: this.url, primaryStatus: primary.status, primarySeconds: primary.seconds, shadowStatus: null, shadowSeconds: null, fields: ['status'], error: this.#shadowError ?? 'no answer' }, now);
      return;
    }
    const a: ComparedAnswer = { status: primary.status, headers: primary.headers, body: this.#primaryBody.take() };
    const b: ComparedAnswer = { status: shadow.status, headers: shadow.headers, body: this.#shadowBody.take() };
    const fields = compareAnswers(a, b, compare);
    recorder.record({ method: this.method, url: this.url, primaryStatus: primary.status, primarySeconds: primary.seconds, shadowStatus: shadow.status, shadowSeconds: shadow.seconds, fields, error: null }, now);
  }
}

function declaredLength(req: IncomingMessage): number | undefined {
  const v = req.headers['content-length'];
  return v === undefined ? undefined : Number(v);
}

/**
 * Starts mirroring one request to the mirror group when the rule allows it: its method is
 * listed, its declared body fits `maxBodyBytes`, fewer than `maxConcurrent` copies are in
 * flight and the group has a healthy target; else the request is counted as skipped. A
 * body-less request is copied at once; one with a body once the primary has streamed it
 * whole (the body is teed, never held back from the primary). Returns the tap the primary
 * exchange reports to, or undefined when there is nothing to report.
 */
export function startMirror(req: IncomingMessage, headers: readonly string[], mirror: CompiledMirror, hasBody: boolean, clock: Clock): PrimaryTap | undefined {
  const method = req.method ?? 'GET';
  const recorder = mirror.recorder;
  if (!mirror.methods.has(method)) {
    recorder?.skip('method', clock.now());
    return undefined;
  }
  if (hasBody && (declaredLength(req) ?? 0) > mirror.maxBodyBytes) {
    recorder?.skip('bodyTooLarge', clock.now());
    return undefined;
  }
  if (mirror.state.inFlight >= mirror.maxConcurrent) {
    recorder?.skip('concurrency', clock.now());
    return undefined;
  }
  const target = pickTarget(mirror.group);
  if (target === undefined) {
    mirror.group.metrics.recordElbError(503);
    recorder?.skip('noTarget', clock.now());
    return undefined;
  }
  const copy = new MirrorCopy(mirror, target, method, req.url ?? '/', headers, clock);
  if (!hasBody) copy.send(null);
  // A plain mirror of a body-less request needs nothing from the primary.
  return hasBody || mirror.compare !== undefined ? copy : undefined;
}
