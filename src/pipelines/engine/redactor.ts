import type { Logger } from '../../core/index.js';
import { SecretPatterns, maskDeep, maskSecrets, type KnownSecret } from '../secrets/index.js';

/**
 * Masks secrets in what the run engine writes — log lines, reasons, action
 * configuration and output, run variables, event data — in every form the
 * masker knows. Writes are synchronous, so the secrets are loaded ahead:
 * `refresh()` before a run is driven and before each action attempt.
 */
export class Redactor {
  readonly #load: () => Promise<KnownSecret[]>;
  readonly #logger: Logger;
  #patterns = SecretPatterns.none;

  constructor(load: () => Promise<KnownSecret[]>, logger: Logger) {
    this.#load = load;
    this.#logger = logger;
  }

  /** Reloads the secrets. Never throws: when the store cannot be read, the last secrets loaded stay in use. */
  async refresh(): Promise<void> {
    try {
      this.#patterns = new SecretPatterns(await this.#load());
    } catch (err) {
      this.#logger.warn('secrets to mask could not be loaded; the previous ones stay in use', { err });
    }
  }

  /** The compiled secrets, for stream maskers of the same attempt. */
  get patterns(): SecretPatterns {
    return this.#patterns;
  }

  /** Masks one string. */
  text(value: string): string {
    return this.#patterns.isEmpty ? value : maskSecrets(value, this.#patterns);
  }

  /** Masks every string in a JSON-like value. */
  deep<T>(value: T): T {
    return maskDeep(value, this.#patterns);
  }
}
