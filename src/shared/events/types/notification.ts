import { z } from 'zod';
import { eventSpec } from '../spec.js';

/** A notification was delivered (subject `notification/<topic>`). */
export const NOTIFICATION_SENT = 'notification.sent';
/** A delivery attempt of a notification failed. */
export const NOTIFICATION_FAILED = 'notification.failed';
/** A notification gave up after its last attempt and was dead-lettered. */
export const NOTIFICATION_DEAD_LETTERED = 'notification.dead_lettered';

const delivery = {
  topic: z.string(),
  /** The subscription, described without secrets (e.g. `webhook https://host/…`). */
  subscription: z.string(),
  /** The type and sequence number of the event the notification is about. */
  eventType: z.string(),
  eventSeq: z.number().int().optional(),
};

/** The `notification.*` events of the notifier. */
export const notificationEvents = {
  [NOTIFICATION_SENT]: eventSpec('A notification reached a subscription after `attempts` tries.', z.object({ ...delivery, attempts: z.number().int() })),
  [NOTIFICATION_FAILED]: eventSpec(
    'A delivery attempt failed; `willRetry` with `retryInMs` when another follows.',
    z.object({ ...delivery, attempt: z.number().int(), error: z.string(), willRetry: z.boolean(), retryInMs: z.number().optional() }),
  ),
  [NOTIFICATION_DEAD_LETTERED]: eventSpec('A notification failed its last attempt and was kept as a dead letter.', z.object({ ...delivery, attempts: z.number().int(), error: z.string(), deadLetterId: z.number().int() })),
} as const;
