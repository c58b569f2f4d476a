import { SseParser, type SseMessage } from '../../src/cli/sse.js';

/** A test client of an SSE endpoint that collects messages and can wait for a count. */
export class SseClient {
  readonly messages: SseMessage[] = [];
  readonly #abort = new AbortController();
  #waiters: (() => void)[] = [];
  readonly done: Promise<void>;

  constructor(url: string, headers: Record<string, string>) {
    this.done = this.#run(url, headers);
  }

  async #run(url: string, headers: Record<string, string>): Promise<void> {
    try {
      const res = await fetch(url, { headers, signal: this.#abort.signal });
      if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}: ${await res.text()}`);
      const parser = new SseParser();
      const decoder = new TextDecoder();
      for await (const chunk of res.body) {
        this.messages.push(...parser.push(decoder.decode(chunk as Uint8Array, { stream: true })));
        this.#waiters.forEach((w) => w());
      }
    } catch (err) {
      if (!this.#abort.signal.aborted) throw err;
    }
  }

  /** Resolves once at least `n` messages have arrived. */
  async waitForCount(n: number, timeoutMs = 10_000): Promise<SseMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length < n) {
      if (Date.now() > deadline) throw new Error(`timed out with ${this.messages.length} of ${n} messages`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 100);
      });
      this.#waiters = [];
    }
    return this.messages;
  }

  /** Disconnects. */
  close(): Promise<void> {
    this.#abort.abort();
    return this.done.catch(() => {});
  }
}
