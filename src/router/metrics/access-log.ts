/**
 * One request as the router's access log records it, in the spirit of an ALB access log entry:
 * what came in, where it went, what came back, and the ids that tie it to the service's logs and
 * spans.
 */
export interface AccessLogEntry {
  /** Position in the log: increases by one per request. */
  readonly seq: number;
  /** When the answer was finished (or the request failed), ms since the epoch. */
  readonly timeMs: number;
  readonly environment: string;
  /** The service the listener routed it to; empty when no rule matched. */
  readonly service: string;
  /** The target group (revision) that served it; empty when none did. */
  readonly targetGroup: string;
  /** The target's `host:port`; empty when none was reached. */
  readonly target: string;
  readonly method: string;
  /** The request target as sent (path and query), cut at 1 024 characters. */
  readonly url: string;
  /** The status the client got. */
  readonly status: number;
  /** Whether the router made the answer itself (no route, no healthy target, unreachable, timed out). */
  readonly routerMade: boolean;
  /** From the request reaching the router to its answer's end, ms. */
  readonly durationMs: number;
  /** The `x-request-id` the target got (the client's, or the router's). */
  readonly requestId: string;
  /** The trace id of the `traceparent` the target got (the client's, or the router's); empty if none. */
  readonly traceId: string;
}

/** What {@link AccessLog.read} returns. */
export interface AccessLogPage {
  readonly entries: readonly AccessLogEntry[];
  /** The `after` of the next read. */
  readonly next: number;
  /** Entries that were overwritten before this reader got them (it read too rarely). */
  readonly dropped: number;
  /** When this log (this router process) started, ms since the epoch: positions are of one log only. */
  readonly startedAtMs: number;
}

const MAX_URL = 1024;

/**
 * The router's access log: a ring of the last `capacity` requests, read by the control plane after
 * a sequence number (as it scrapes the metrics) and written into telemetry. A reader that falls
 * behind loses the oldest entries and is told how many. Recording is one object per request and no
 * I/O on the request path.
 */
export class AccessLog {
  readonly #ring: (AccessLogEntry | undefined)[];
  #seq = 0;

  constructor(
    readonly capacity = 20_000,
    readonly startedAtMs = Date.now(),
  ) {
    this.#ring = new Array<AccessLogEntry | undefined>(capacity);
  }

  /** Records one finished request; the log keeps `e` itself (one allocation per request, the caller's). */
  record(e: Omit<AccessLogEntry, 'seq'>): void {
    const entry = e as { -readonly [K in keyof AccessLogEntry]: AccessLogEntry[K] };
    entry.seq = ++this.#seq;
    if (entry.url.length > MAX_URL) entry.url = entry.url.slice(0, MAX_URL);
    this.#ring[entry.seq % this.capacity] = entry;
  }

  /**
   * Entries after `after`, oldest first, at most `limit`. An `after` beyond the last entry is a
   * reader of an earlier router process (the sequence starts again with each one): it reads from
   * the start.
   */
  read(after: number, limit = 5000): AccessLogPage {
    const last = this.#seq;
    const since = after > last ? 0 : Math.max(0, after);
    const oldest = Math.max(1, last - this.capacity + 1);
    const from = Math.max(since + 1, oldest);
    const to = Math.min(last, from + Math.max(1, limit) - 1);
    const entries: AccessLogEntry[] = [];
    for (let s = from; s <= to; s++) entries.push(this.#ring[s % this.capacity]!);
    return { entries, next: entries.length > 0 ? to : from - 1, dropped: Math.max(0, oldest - (since + 1)), startedAtMs: this.startedAtMs };
  }
}

/**
 * The `x-request-id` and trace id in a flat `[name, value, …]` header list (what the router sends
 * upstream), found by name case-insensitively.
 */
export function requestIds(headers: readonly string[]): { requestId: string; traceId: string } {
  let requestId = '';
  let traceId = '';
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i]!;
    // The router's own names are lower case: compared as they are before lower-casing a client's.
    if (name.length === 12 && (name === 'x-request-id' || name.toLowerCase() === 'x-request-id')) requestId = headers[i + 1]!;
    else if (name.length === 11 && (name === 'traceparent' || name.toLowerCase() === 'traceparent')) {
      const v = headers[i + 1]!;
      // version-traceid-parentid-flags; a malformed one names no trace.
      if (v.length >= 55 && v.charCodeAt(2) === 0x2d) traceId = v.slice(3, 35);
    }
  }
  return { requestId, traceId };
}
