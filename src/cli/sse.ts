/** One message of a Server-Sent Events stream. */
export interface SseMessage {
  readonly id?: string;
  readonly event?: string;
  readonly data: string;
}

/**
 * Incremental parser of the `text/event-stream` format: feed it chunks as they
 * arrive, get whole messages back. Handles CRLF, split lines, comments and
 * multi-line `data:`.
 */
export class SseParser {
  #buffer = '';
  #data: string[] = [];
  #id: string | undefined;
  #event: string | undefined;

  /** Parses a chunk; returns the messages it completed. */
  push(chunk: string): SseMessage[] {
    this.#buffer += chunk;
    const out: SseMessage[] = [];
    let nl: number;
    while ((nl = this.#buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.#buffer.slice(0, nl);
      const width = this.#buffer.startsWith('\r\n', nl) ? 2 : 1;
      this.#buffer = this.#buffer.slice(nl + width);
      if (line === '') {
        if (this.#data.length > 0) out.push({ id: this.#id, event: this.#event, data: this.#data.join('\n') });
        this.#data = [];
        this.#event = undefined;
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') this.#data.push(value);
      else if (field === 'id') this.#id = value;
      else if (field === 'event') this.#event = value;
    }
    return out;
  }
}
