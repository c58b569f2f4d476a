import net from 'node:net';
import type { Readable } from 'node:stream';
import { ChunkedDecoder } from './chunked-decoder.js';
import type { UpstreamHandler, UpstreamRequest } from './dispatch.js';
import { parseResponseHead, type BodyFraming } from './response-head.js';
import { UpstreamError } from './upstream-error.js';

/** What a connection tells the pool it belongs to. */
export interface ConnectionOwner {
  /** The connection finished a request and can take another. */
  onIdle(conn: UpstreamConnection): void;
  /** The connection is closed; it takes no more requests. */
  onGone(conn: UpstreamConnection): void;
  /** A reused connection was found closed before any answer: send the request again on a new one. */
  retry(req: UpstreamRequest, handler: UpstreamHandler): void;
}

/** Fixed settings of a pool's connections. */
export interface ConnectionSettings {
  readonly host: string;
  readonly port: number;
  /** `host:port` for requests that came without a Host header. */
  readonly authority: string;
  readonly connectTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly maxHeaderBytes: number;
}

const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');
const EMPTY = Buffer.alloc(0);
/** A target's keep-alive timeout is taken this much shorter, so the router never reuses a socket the target is closing. */
const KEEP_ALIVE_MARGIN_MS = 1000;
/** Methods whose request may be sent again when a reused connection turns out closed (RFC 9112 §9.3.1). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);
const STALE_ERRORS = new Set(['ECONNRESET', 'EPIPE', 'UPSTREAM_SOCKET']);

// One coarse clock for every connection's deadlines, instead of a timer per request.
const TICK_MS = 100;
const live = new Set<UpstreamConnection>();
let ticker: NodeJS.Timeout | undefined;
function sweepAll(): void {
  const now = performance.now();
  for (const c of live) c.sweep(now);
}
function track(c: UpstreamConnection): void {
  live.add(c);
  if (ticker === undefined) {
    ticker = setInterval(sweepAll, TICK_MS);
    ticker.unref();
  }
}
function untrack(c: UpstreamConnection): void {
  live.delete(c);
  if (live.size === 0 && ticker !== undefined) {
    clearInterval(ticker);
    ticker = undefined;
  }
}

/**
 * One keep-alive HTTP/1.1 connection to a target, carrying one request at a time. The response is
 * read straight off the socket's buffers: the head is split once into `[name, value, …]` strings,
 * only the framing headers are interpreted, and body pieces are views into the socket's buffers.
 * A connection is reused only when its response was complete and correctly framed, the request
 * body was sent whole, no bytes followed the response, and neither side asked to close.
 */
export class UpstreamConnection {
  readonly socket: net.Socket;
  #connected = false;
  #gone = false;
  #connectDeadline: number;
  #served = 0;
  #req: UpstreamRequest | undefined;
  #handler: UpstreamHandler | undefined;
  #gotBytes = false;
  #inHead = false;
  #headBuf: Buffer | undefined;
  #framing: BodyFraming = 'none';
  #remaining = 0;
  #decoder: ChunkedDecoder | undefined;
  #keepAlive = true;
  #idleTimeoutMs: number;
  #paused = false;
  #held: Buffer | undefined;
  #heldAt = 0;
  #headersDeadline = 0;
  #lastDataAt = 0;
  #bodyDone = true;
  #detachBody: (() => void) | undefined;
  #idleSince = 0;

  constructor(
    private readonly settings: ConnectionSettings,
    private readonly owner: ConnectionOwner,
    first: UpstreamRequest,
    firstHandler: UpstreamHandler,
  ) {
    this.#idleTimeoutMs = settings.keepAliveTimeoutMs;
    this.#connectDeadline = performance.now() + settings.connectTimeoutMs;
    this.#req = first;
    this.#handler = firstHandler;
    const socket = net.connect({ host: settings.host, port: settings.port, noDelay: true });
    this.socket = socket;
    socket.on('connect', () => {
      this.#connected = true;
      const req = this.#req;
      const handler = this.#handler;
      this.#req = this.#handler = undefined;
      if (req !== undefined && handler !== undefined) this.run(req, handler);
    });
    socket.on('data', this.#onData);
    socket.on('end', this.#onEnd);
    socket.on('error', (err) => this.#fail(err));
    socket.on('close', () => this.#fail(new UpstreamError('UPSTREAM_SOCKET', 'the target closed the connection')));
    track(this);
  }

  /** Whether a request is on this connection. */
  get busy(): boolean {
    return this.#req !== undefined;
  }

  /** Sends `req` on this (connected, idle) connection. */
  run(req: UpstreamRequest, handler: UpstreamHandler): void {
    this.#req = req;
    this.#handler = handler;
    this.#gotBytes = false;
    this.#inHead = true;
    this.#headBuf = undefined;
    this.#paused = false;
    this.#held = undefined;
    handler.onConnect((err) => {
      if (this.#handler === handler) this.#fail(err ?? new UpstreamError('UPSTREAM_ABORTED', 'request aborted'), false);
    });
    if (this.#req !== req) return;
    const body = req.body;
    const h = req.headers;
    let head = `${req.method} ${req.path} HTTP/1.1\r\n`;
    let hasLength = false;
    let hasHost = false;
    for (let i = 0; i < h.length; i += 2) {
      const name = h[i]!;
      if (name.length === 14 && !hasLength) hasLength = name.toLowerCase() === 'content-length';
      else if (name.length === 4 && !hasHost) hasHost = name.toLowerCase() === 'host';
      head += `${name}: ${h[i + 1]!}\r\n`;
    }
    if (!hasHost) head += `host: ${this.settings.authority}\r\n`;
    const socket = this.socket;
    if (body === null) {
      socket.write(`${head}\r\n`, 'latin1');
    } else if (Buffer.isBuffer(body)) {
      if (!hasLength) head += `content-length: ${body.length}\r\n`;
      socket.cork();
      socket.write(`${head}\r\n`, 'latin1');
      socket.write(body);
      socket.uncork();
    } else {
      if (!hasLength) head += 'transfer-encoding: chunked\r\n';
      socket.write(`${head}\r\n`, 'latin1');
      this.#pumpBody(body, !hasLength);
    }
    if (req.headersTimeoutMs > 0) this.#headersDeadline = performance.now() + req.headersTimeoutMs;
  }

  /** Streams a request body with backpressure both ways; chunk-framed when it has no length. */
  #pumpBody(body: Readable, chunked: boolean): void {
    const socket = this.socket;
    this.#bodyDone = false;
    const onData = (chunk: Buffer): void => {
      let ok: boolean;
      if (chunked) {
        if (chunk.length === 0) return;
        socket.cork();
        socket.write(`${chunk.length.toString(16)}\r\n`, 'latin1');
        socket.write(chunk);
        ok = socket.write('\r\n', 'latin1');
        socket.uncork();
      } else {
        ok = socket.write(chunk);
      }
      if (!ok) body.pause();
    };
    const onDrain = (): void => void body.resume();
    const onEnd = (): void => {
      if (chunked) socket.write('0\r\n\r\n', 'latin1');
      this.#bodyDone = true;
      detach();
    };
    const onError = (err: Error): void => this.#fail(err, false);
    const onClose = (): void => {
      if (!this.#bodyDone) this.#fail(new UpstreamError('UPSTREAM_ABORTED', 'the request body was cut off'), false);
    };
    const detach = (): void => {
      this.#detachBody = undefined;
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('close', onClose);
      body.off('error', onError);
      socket.off('drain', onDrain);
      // A body left unread must not stall its client connection, nor crash the process if it fails later.
      if (!this.#bodyDone) {
        body.on('error', () => undefined);
        body.resume();
      }
    };
    this.#detachBody = detach;
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('close', onClose);
    body.on('error', onError);
    socket.on('drain', onDrain);
  }

  readonly #onData = (chunk: Buffer): void => {
    if (this.#req === undefined) {
      // Bytes nobody asked for: the connection's framing can no longer be trusted.
      this.#close();
      return;
    }
    this.#gotBytes = true;
    this.#process(chunk, 0);
  };

  #process(buf: Buffer, at: number): void {
    const req = this.#req;
    const handler = this.#handler;
    if (req === undefined || handler === undefined) return;
    try {
      while (this.#req === req) {
        if (this.#inHead) {
          let from = at;
          let searchFrom = at;
          if (this.#headBuf !== undefined) {
            const prev = this.#headBuf.length;
            buf = Buffer.concat([this.#headBuf, buf.subarray(at)]);
            from = at = 0;
            searchFrom = Math.max(0, prev - 3);
            this.#headBuf = undefined;
          }
          const end = buf.indexOf(CRLFCRLF, searchFrom);
          if (end < 0 || end - from > this.settings.maxHeaderBytes) {
            if (buf.length - from > this.settings.maxHeaderBytes) {
              throw new UpstreamError('UPSTREAM_HEADER_TOO_LARGE', `the target's response head is over ${this.settings.maxHeaderBytes} bytes`);
            }
            if (from < buf.length) this.#headBuf = buf.subarray(from);
            return;
          }
          at = end + 4;
          const head = parseResponseHead(buf.toString('latin1', from, end), req.method === 'HEAD');
          if (head.statusCode < 200) {
            if (head.statusCode === 101) throw new UpstreamError('UPSTREAM_PROTOCOL', 'invalid response from target: 101 Switching Protocols to a request that asked for no upgrade');
            continue;
          }
          this.#inHead = false;
          this.#headersDeadline = 0;
          this.#framing = head.framing;
          this.#remaining = head.contentLength;
          if (head.framing === 'chunked') this.#decoder = new ChunkedDecoder();
          this.#keepAlive = head.keepAlive;
          if (head.keepAliveTimeoutMs !== undefined) {
            const hinted = head.keepAliveTimeoutMs - KEEP_ALIVE_MARGIN_MS;
            if (hinted <= 0) this.#keepAlive = false;
            else this.#idleTimeoutMs = Math.min(this.settings.keepAliveTimeoutMs, hinted);
          }
          if (req.bodyTimeoutMs > 0) this.#lastDataAt = performance.now();
          if (!handler.onHeaders(head.statusCode, head.rawHeaders, this.#resume, head.statusText) && this.#req === req) this.#pause();
          continue;
        }
        if (this.#paused) {
          this.#held = buf;
          this.#heldAt = at;
          return;
        }
        const framing = this.#framing;
        if (framing === 'none') return this.#complete(buf, at);
        if (at >= buf.length) return;
        if (req.bodyTimeoutMs > 0) this.#lastDataAt = performance.now();
        let piece: Buffer;
        if (framing === 'length') {
          const n = Math.min(this.#remaining, buf.length - at);
          piece = at === 0 && n === buf.length ? buf : buf.subarray(at, at + n);
          at += n;
          this.#remaining -= n;
        } else if (framing === 'chunked') {
          const decoder = this.#decoder!;
          at = decoder.step(buf, at);
          if (decoder.dataEnd === decoder.dataStart) {
            if (decoder.done) return this.#complete(buf, at);
            continue;
          }
          piece = buf.subarray(decoder.dataStart, decoder.dataEnd);
        } else {
          piece = at === 0 ? buf : buf.subarray(at);
          at = buf.length;
        }
        const more = handler.onData(piece);
        if (this.#req !== req) return;
        if (framing === 'length' && this.#remaining === 0) return this.#complete(buf, at);
        if (!more) this.#pause();
      }
    } catch (err) {
      if (this.#req === req) this.#fail(err as Error, false);
    }
  }

  #pause(): void {
    this.#paused = true;
    this.socket.pause();
  }

  readonly #resume = (): void => {
    if (!this.#paused) return;
    this.#paused = false;
    this.socket.resume();
    const held = this.#held ?? EMPTY;
    this.#held = undefined;
    this.#process(held, held === EMPTY ? 0 : this.#heldAt);
  };

  /** The response is whole: hand the connection back, or close it when it cannot be reused. */
  #complete(buf: Buffer, at: number): void {
    const handler = this.#handler!;
    if (this.#framing === 'chunked' && !this.#decoder!.done) return;
    const reusable = this.#keepAlive && at >= buf.length && this.#bodyDone;
    this.#endRequest();
    this.#served++;
    if (!reusable) this.#close();
    try {
      handler.onComplete();
    } finally {
      if (reusable && !this.#gone) {
        this.#idleSince = performance.now();
        this.owner.onIdle(this);
      }
    }
  }

  #endRequest(): void {
    this.#req = this.#handler = undefined;
    this.#decoder = undefined;
    this.#headersDeadline = 0;
    this.#held = undefined;
    this.#paused = false;
    this.#detachBody?.();
    this.#bodyDone = true;
  }

  readonly #onEnd = (): void => {
    // A response without a length ends when the target closes the connection.
    if (this.#req !== undefined && !this.#inHead && this.#framing === 'close') {
      this.#keepAlive = false;
      this.#complete(EMPTY, 0);
      return;
    }
    this.#fail(new UpstreamError('UPSTREAM_SOCKET', 'the target closed the connection before the response was complete'));
  };

  /**
   * Ends the connection after a failure, and the request on it with `err` — or, when a reused
   * connection turns out closed before any byte of an answer and the request is body-less and
   * idempotent, sends it again on a new connection.
   */
  #fail(err: Error, mayRetry = true): void {
    const req = this.#req;
    const handler = this.#handler;
    const retry =
      mayRetry && req !== undefined && this.#served > 0 && !this.#gotBytes && req.body === null && IDEMPOTENT.has(req.method) && STALE_ERRORS.has((err as NodeJS.ErrnoException).code ?? '');
    if (req !== undefined) this.#endRequest();
    this.#close();
    if (req === undefined || handler === undefined) return;
    if (retry) return this.owner.retry(req, handler);
    handler.onError(err);
  }

  /** Closes the socket and leaves the pool (any request on it must already be ended). */
  #close(): void {
    if (this.#gone) return;
    this.#gone = true;
    untrack(this);
    this.socket.destroy();
    this.owner.onGone(this);
  }

  /** Closes the connection, failing the request on it (if any) with `err`. */
  destroy(err: Error): void {
    this.#fail(err, false);
    this.#close();
  }

  /** Applies the deadlines: connect, response head, body pauses, and keep-alive idleness. */
  sweep(now: number): void {
    if (!this.#connected) {
      if (now > this.#connectDeadline) this.#fail(new UpstreamError('UPSTREAM_CONNECT_TIMEOUT', `could not connect to ${this.settings.authority} within ${this.settings.connectTimeoutMs} ms`), false);
      return;
    }
    const req = this.#req;
    if (req === undefined) {
      if (now - this.#idleSince > this.#idleTimeoutMs) this.#close();
      return;
    }
    if (this.#headersDeadline > 0 && now > this.#headersDeadline) {
      this.#fail(new UpstreamError('UPSTREAM_HEADERS_TIMEOUT', `no response head within ${req.headersTimeoutMs} ms`), false);
    } else if (!this.#inHead && req.bodyTimeoutMs > 0 && !this.#paused && now - this.#lastDataAt > req.bodyTimeoutMs) {
      this.#fail(new UpstreamError('UPSTREAM_BODY_TIMEOUT', `the response body paused for over ${req.bodyTimeoutMs} ms`), false);
    }
  }
}
