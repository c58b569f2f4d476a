import { UpstreamError } from './upstream-error.js';

const SIZE_LINE = 0;
const DATA = 1;
const DATA_END = 2;
const TRAILERS = 3;
const DONE = 4;
/** Longest chunk-size line (with extensions) or trailer section accepted. */
const MAX_LINE_BYTES = 16 * 1024;

const protocolError = (what: string): UpstreamError => new UpstreamError('UPSTREAM_PROTOCOL', `invalid chunked body from target: ${what}`);

/**
 * An incremental decoder of a chunked response body (RFC 9112 §7.1). Fed the socket's buffers as
 * they come, it points at the data inside them (no copy); chunk extensions and trailers are read
 * and dropped, as trailers are not forwarded.
 */
export class ChunkedDecoder {
  #state = SIZE_LINE;
  #remaining = 0;
  #line = '';
  #trailerBytes = 0;
  /** After {@link step}: the body data found, `buf[dataStart, dataEnd)` (empty when equal). */
  dataStart = 0;
  dataEnd = 0;

  /** Whether the last chunk and the trailer section have been read. */
  get done(): boolean {
    return this.#state === DONE;
  }

  /**
   * Reads from `buf` at `at` up to the next piece of body data, the end of the body or the end of
   * `buf`, and returns the offset after what it read. Throws an `UPSTREAM_PROTOCOL` error on a
   * malformed body.
   */
  step(buf: Buffer, at: number): number {
    this.dataStart = this.dataEnd = 0;
    while (at < buf.length && this.#state !== DONE) {
      if (this.#state === DATA) {
        const n = Math.min(this.#remaining, buf.length - at);
        this.dataStart = at;
        this.dataEnd = at + n;
        this.#remaining -= n;
        if (this.#remaining === 0) this.#state = DATA_END;
        return at + n;
      }
      const nl = buf.indexOf(0x0a, at);
      if (nl < 0) {
        this.#addLine(buf.toString('latin1', at));
        return buf.length;
      }
      this.#addLine(buf.toString('latin1', at, nl));
      at = nl + 1;
      const line = this.#line.endsWith('\r') ? this.#line.slice(0, -1) : this.#line;
      this.#line = '';
      this.#onLine(line);
    }
    return at;
  }

  #addLine(part: string): void {
    this.#line += part;
    if (this.#line.length > MAX_LINE_BYTES) throw protocolError('line too long');
  }

  #onLine(line: string): void {
    if (this.#state === DATA_END) {
      if (line !== '') throw protocolError('no CRLF after chunk data');
      this.#state = SIZE_LINE;
    } else if (this.#state === SIZE_LINE) {
      const semi = line.indexOf(';');
      const size = (semi < 0 ? line : line.slice(0, semi)).trimEnd();
      if (!/^[0-9a-fA-F]{1,12}$/.test(size)) throw protocolError(`chunk size ${JSON.stringify(line.slice(0, 32))}`);
      this.#remaining = parseInt(size, 16);
      this.#state = this.#remaining === 0 ? TRAILERS : DATA;
    } else if (this.#state === TRAILERS) {
      this.#trailerBytes += line.length + 2;
      if (this.#trailerBytes > MAX_LINE_BYTES) throw protocolError('trailer section too large');
      if (line === '') this.#state = DONE;
    }
  }
}
