import type { NotificationMessage, Subscription } from '../model.js';

/** Where a webhook's signing secret comes from (the pipelines' secret store fits). */
export interface SecretSource {
  /** The secret's value, or undefined when there is no such secret. */
  get(name: string): Promise<string | undefined>;
}

/** What every delivery attempt is given. */
export interface DeliveryContext {
  /** Aborted when the attempt times out or the notifier closes. */
  readonly signal: AbortSignal;
  /** The attempt's time limit. */
  readonly timeoutMs: number;
  /** Signing secrets, by name. */
  readonly secrets: SecretSource;
  /** File sink paths are relative to this directory (the app's). */
  readonly baseDir: string;
}

/** One attempt to deliver a message to a subscription; rejects with a {@link DeliveryError} or any error. */
export type Transport<S extends Subscription = Subscription> = (message: NotificationMessage, topic: string, subscription: S, context: DeliveryContext) => Promise<void>;

/** A failed delivery attempt; `retryable: false` dead-letters at once (a missing secret will not appear by retrying). */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean = true,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
