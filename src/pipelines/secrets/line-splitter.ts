import { StreamMasker } from './secret-masker.js';
import type { SecretInput, SecretPatterns } from './secret-patterns.js';

/** Options of {@link MaskedLineSplitter}. */
export interface MaskedLineSplitterOptions {
  /** Secrets masked (in every form `StreamMasker` knows) before a line is emitted. */
  readonly secrets: Iterable<SecretInput> | SecretPatterns;
  /** Called once per complete line, without its line break. */
  readonly onLine: (line: string) => void;
  /** A line longer than this is emitted in pieces, so memory stays bounded. @default 65536 */
  readonly maxLineChars?: number;
}

/**
 * Turns a byte stream (a process's stdout or stderr) into masked lines.
 * Decoding is UTF-8 aware across chunk boundaries; masking happens before
 * line splitting, so a secret split across chunks or lines is still masked.
 * A line is emitted once the masker knows no later output can complete a
 * secret in it (or at `end()`), so a line may wait for the next output.
 */
export class MaskedLineSplitter {
  readonly #masker: StreamMasker;
  readonly #decoder = new TextDecoder('utf-8');
  readonly #onLine: (line: string) => void;
  readonly #maxLineChars: number;
  #partial = '';

  constructor(options: MaskedLineSplitterOptions) {
    this.#masker = new StreamMasker(options.secrets);
    this.#onLine = options.onLine;
    this.#maxLineChars = options.maxLineChars ?? 65_536;
  }

  /** Feeds a chunk of output. */
  write(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.#decoder.decode(chunk, { stream: true });
    this.#emit(this.#masker.push(text));
  }

  /** Ends the stream, emitting any last partial line. */
  end(): void {
    this.#emit(this.#masker.push(this.#decoder.decode()) + this.#masker.flush());
    if (this.#partial.length > 0) this.#onLine(this.#partial);
    this.#partial = '';
  }

  #emit(safe: string): void {
    if (safe.length === 0) return;
    const text = this.#partial + safe;
    const lines = text.split('\n');
    this.#partial = lines.pop() ?? '';
    for (const line of lines) this.#onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
    while (this.#partial.length > this.#maxLineChars) {
      this.#onLine(this.#partial.slice(0, this.#maxLineChars));
      this.#partial = this.#partial.slice(this.#maxLineChars);
    }
  }
}
