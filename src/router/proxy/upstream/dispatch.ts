import type { Readable } from 'node:stream';

/**
 * One request for a target. Header names and values are written as given: they come from Node's
 * HTTP parser (which refuses CR, LF and NUL in them) or from the router itself.
 */
export interface UpstreamRequest {
  readonly method: string;
  /** The request target (path and query), as the client sent it. */
  readonly path: string;
  /** `[name, value, …]` without hop-by-hop headers; `Content-Length` kept when the body has one. */
  readonly headers: readonly string[];
  /**
   * The body: none, a whole buffer (sent with its `Content-Length`), or a stream read once the
   * request is on a connection (with backpressure; chunked unless `headers` give a length).
   */
  readonly body: Buffer | Readable | null;
  /** Time from writing the request to the end of the response head; 0 = none. */
  readonly headersTimeoutMs: number;
  /** Longest pause between two pieces of the response body; 0 = none. */
  readonly bodyTimeoutMs: number;
}

/**
 * Receives one request's outcome, in this order: `onConnect` once the request is on a connected
 * socket (about to be written), `onHeaders`, `onData` per piece of body, then `onComplete`; or
 * `onError` at any point instead of the rest. Interim (1xx) responses are skipped.
 */
export interface UpstreamHandler {
  /** `abort` gives the request up: the connection is closed and `onError` follows. */
  onConnect(abort: (err?: Error) => void): void;
  /**
   * The response head; `rawHeaders` are `[name, value, …]` as sent (framing headers included).
   * Returning false pauses reading the target until `resume` is called.
   */
  onHeaders(statusCode: number, rawHeaders: string[], resume: () => void, statusText: string): boolean;
  /** A piece of the body (a view into the socket's buffer); false pauses until `resume`. */
  onData(chunk: Buffer): boolean;
  onComplete(): void;
  onError(err: Error): void;
}
