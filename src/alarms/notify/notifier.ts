import type { Clock, EventLog, Logger, SlipwayEvent } from '../../core/index.js';
import type { EventPayloads, EventTypeWith } from '../../shared/index.js';
import { buildMessage } from './build-message.js';
import type { DeadLetterStore } from './dead-letter-store.js';
import { DeliveryQueue, type Delivery, type DeliveryPolicy } from './delivery-queue.js';
import { matchesFilter } from './filter.js';
import { describeSubscription, webhookBody, type Subscription } from './model.js';
import { pagedUsers, topicsFor, userContactTopic } from './route.js';
import { deliver, type SecretSource, type Transport } from './transports/index.js';

/** Options of {@link Notifier}. */
export interface NotifierOptions {
  /** Topics and their subscriptions (the app model's `notifications`). */
  readonly topics: Readonly<Record<string, readonly Subscription[]>>;
  /** On-call users' own contacts, by user: they receive the pages that name the user, nothing else. @default {} */
  readonly contacts?: Readonly<Record<string, readonly Subscription[]>>;
  readonly events: EventLog;
  readonly deadLetters: DeadLetterStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Signing secrets of webhooks. @default none (a webhook with a secret is dead-lettered) */
  readonly secrets?: SecretSource;
  /** Directory file sinks are relative to. @default process.cwd() */
  readonly baseDir?: string;
  /** Retries and timeouts. */
  readonly policy?: DeliveryPolicy;
  /** How a delivery is made. @default the transport of each subscription type */
  readonly transport?: Transport;
}

/** The `notification.*` events, each about one delivery. */
type NotificationEventType = EventTypeWith<{ readonly topic: string; readonly subscription: string; readonly eventType: string }>;

const NO_SECRETS: SecretSource = { get: () => Promise.resolve(undefined) };

/**
 * The local SNS: follows the event log, builds a message for each notified event, routes it to
 * topics (`topicsFor`), filters per subscription and hands deliveries to a queue of their own.
 * Outcomes are events: `notification.sent`, `notification.failed`, `notification.dead_lettered`.
 */
export class Notifier {
  #o: NotifierOptions;
  readonly #queue: DeliveryQueue;
  #topicNames: readonly string[];
  #off: (() => void) | undefined;

  /** Routes to other topics (and users' contacts) from the next event on (an applied app model changed them). */
  setTopics(topics: NotifierOptions['topics'], contacts: NotifierOptions['contacts'] = this.#o.contacts): void {
    this.#o = { ...this.#o, topics, ...(contacts === undefined ? {} : { contacts }) };
    this.#topicNames = Object.keys(topics);
  }

  constructor(options: NotifierOptions) {
    this.#o = options;
    this.#topicNames = Object.keys(options.topics);
    this.#queue = new DeliveryQueue({
      transport: options.transport ?? deliver,
      secrets: options.secrets ?? NO_SECRETS,
      baseDir: options.baseDir ?? process.cwd(),
      logger: options.logger,
      policy: options.policy,
      hooks: {
        sent: (d, attempts) => this.#event('notification.sent', d, { attempts }),
        failed: (d, attempt, error, retryInMs) => this.#event('notification.failed', d, { attempt, error, willRetry: retryInMs !== undefined, ...(retryInMs === undefined ? {} : { retryInMs }) }),
        deadLettered: (d, attempts, error) => {
          const deadLetterId = options.deadLetters.add({
            timeMs: options.clock.now(),
            topic: d.topic,
            subscription: describeSubscription(d.subscription),
            eventType: d.message.eventType,
            eventSeq: d.message.eventSeq,
            attempts,
            lastError: error,
            message: webhookBody(d.message, d.topic),
          });
          this.#event('notification.dead_lettered', d, { attempts, error, deadLetterId });
        },
      },
    });
  }

  /** Starts following the event log (events appended from now on). Idempotent. */
  start(): void {
    this.#off ??= this.#o.events.subscribe((e) => this.handle(e));
  }

  /** Routes one event; returns the number of deliveries queued. Never throws. */
  handle(e: SlipwayEvent): number {
    try {
      const message = buildMessage(e);
      if (message === undefined) return 0;
      let queued = 0;
      for (const topic of topicsFor(e, this.#topicNames)) {
        for (const subscription of this.#o.topics[topic] ?? []) {
          if (!matchesFilter(subscription.filter, message)) continue;
          this.#queue.enqueue({ message, topic, subscription });
          queued++;
        }
      }
      for (const user of pagedUsers(e)) {
        for (const subscription of this.#o.contacts?.[user] ?? []) {
          if (!matchesFilter(subscription.filter, message)) continue;
          this.#queue.enqueue({ message, topic: userContactTopic(user), subscription });
          queued++;
        }
      }
      return queued;
    } catch (err) {
      this.#o.logger.error('could not route a notification', { event: e.seq, err });
      return 0;
    }
  }

  /** Resolves when every queued delivery has been sent or dead-lettered. */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  /** Stops following the log and stops the queue (attempts in flight are aborted). */
  close(): void {
    this.#off?.();
    this.#off = undefined;
    this.#queue.close();
  }

  #event<T extends NotificationEventType>(type: T, d: Delivery, extra: Omit<EventPayloads[T], 'topic' | 'subscription' | 'eventType' | 'eventSeq'>): void {
    this.#o.events.append({
      type,
      subject: `notification/${d.topic}`,
      data: { topic: d.topic, subscription: describeSubscription(d.subscription), eventType: d.message.eventType, eventSeq: d.message.eventSeq, ...extra } as EventPayloads[T],
    });
  }
}
