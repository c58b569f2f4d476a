import { z } from 'zod';
import { quoteList } from '../names.js';
import { dispatch, envNameSchema, isRecord, portSchema, strict, uniqueStrings } from './primitives.js';

const httpUrl = z.url({ protocol: /^https?$/, error: (i) => `expected an http(s) URL, got ${JSON.stringify(i.input)}` });
const email = z.email({ error: (i) => `expected an email address, got ${JSON.stringify(i.input)}` });

/** How urgent a notification is, most urgent first. */
export const NOTIFICATION_SEVERITIES = ['critical', 'warning', 'info'] as const;

const eventPattern = z.string().regex(/^(\*|[a-z][a-z0-9_]*(\.[a-z0-9_]+)*(\.\*|\*)?)$/, {
  error: (i) => `expected an event type (deployment.rolled_back) or a prefix ending in * (incident.*, *), got ${JSON.stringify(i.input)}`,
});

/**
 * Which notifications a subscription receives. Both lists are optional; an absent list lets
 * everything through, and a message must pass both.
 * @default no filter: everything routed to the topic
 * @example { events: ['deployment.*', 'incident.*'], severities: ['critical', 'warning'] }
 */
export const subscriptionFilterSchema = strict({
  /** Event types, exact (`deployment.rolled_back`) or a prefix ending in `*` (`incident.*`, `*`). @default every type */
  events: uniqueStrings(eventPattern, 'event').min(1).optional(),
  /** Severities to receive (`critical`, `warning`, `info`). @default every severity */
  severities: uniqueStrings(z.enum(NOTIFICATION_SEVERITIES), 'severity').min(1).optional(),
});

const filter = {
  /** Only the notifications this filter lets through. @default everything routed to the topic */
  filter: subscriptionFilterSchema.optional(),
};

/** POSTs a JSON message, signed like GitHub webhooks (`X-Hub-Signature-256`) when a secret is given. */
export const webhookSubscriptionSchema = strict({
  type: z.literal('webhook'),
  ...filter,
  /** Where to POST. */
  url: httpUrl,
  /** Name of the secret whose value signs each body. */
  secret: envNameSchema.optional(),
});
/** Posts to a Slack incoming webhook. */
export const slackSubscriptionSchema = strict({
  type: z.literal('slack'),
  ...filter,
  /** The incoming webhook URL. */
  url: httpUrl,
});
/** Sends an email. */
export const emailSubscriptionSchema = strict({
  type: z.literal('email'),
  ...filter,
  /** Recipient address, or several. */
  to: z.union([email, z.array(email).min(1)]),
  /** The SMTP server. @default { host: "127.0.0.1", port: 25 } */
  smtp: strict({
    /** Host name. */
    host: z.string().min(1),
    /** Port. @default 25 */
    port: portSchema.optional(),
    /** Sender address. @default "slipway@localhost" */
    from: email.optional(),
  }).optional(),
});
/** Appends one JSON line per message to a file (handy in tests and demos). */
export const fileSubscriptionSchema = strict({
  type: z.literal('file'),
  ...filter,
  /** The file, relative to the config file. */
  path: z.string().min(1),
});

const SUBSCRIPTION_TYPES = ['webhook', 'slack', 'email', 'file'] as const;
const subscriptionSchemas = { webhook: webhookSubscriptionSchema, slack: slackSubscriptionSchema, email: emailSubscriptionSchema, file: fileSubscriptionSchema };

/** One subscription of a topic, chosen by `type`. */
export const subscriptionSchema = dispatch<(typeof subscriptionSchemas)[keyof typeof subscriptionSchemas]>((input) => {
  const type = isRecord(input) ? input.type : undefined;
  if (typeof type === 'string' && Object.hasOwn(subscriptionSchemas, type)) return subscriptionSchemas[type as keyof typeof subscriptionSchemas];
  return `expected a subscription type of ${quoteList(SUBSCRIPTION_TYPES)}, got ${JSON.stringify(type) ?? 'none'}`;
});

/** A topic's subscriptions, at least one. */
export const topicSchema = z.array(subscriptionSchema).min(1);

/** A subscription as written in an app definition. */
export type SubscriptionDefinition = z.input<typeof subscriptionSchema>;
