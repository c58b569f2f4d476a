/**
 * Why an upstream request failed, as the router tells them apart: the target could not be
 * reached or dropped the connection (`connect`/`socket`: retried where safe, else 502), it did not
 * answer in time (`headersTimeout`: 504; `bodyTimeout`), it answered with something that is not
 * HTTP/1.1 the router can forward (`protocol`, `headerTooLarge`: 502), the request was given up
 * (`aborted`) or the pool is closed (`closed`).
 */
export type UpstreamErrorCode =
  | 'UPSTREAM_CONNECT_TIMEOUT'
  | 'UPSTREAM_SOCKET'
  | 'UPSTREAM_HEADERS_TIMEOUT'
  | 'UPSTREAM_BODY_TIMEOUT'
  | 'UPSTREAM_PROTOCOL'
  | 'UPSTREAM_HEADER_TOO_LARGE'
  | 'UPSTREAM_ABORTED'
  | 'UPSTREAM_CLOSED';

/**
 * A failure of the upstream client. Failures of the socket itself (`ECONNREFUSED`, `ECONNRESET`,
 * `EPIPE`, …) reach handlers as Node's own errors with their `code`.
 */
export class UpstreamError extends Error {
  constructor(
    readonly code: UpstreamErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}
