import { z } from 'zod';
import { quoteList } from '../names.js';
import { dispatch, envNameSchema, isRecord, portSchema, strict } from './primitives.js';

const httpUrl = z.url({ protocol: /^https?$/, error: (i) => `expected an http(s) URL, got ${JSON.stringify(i.input)}` });
const email = z.email({ error: (i) => `expected an email address, got ${JSON.stringify(i.input)}` });

/** POSTs a JSON message, signed like GitHub webhooks (`X-Hub-Signature-256`) when a secret is given. */
export const webhookSubscriptionSchema = strict({
  type: z.literal('webhook'),
  /** Where to POST. */
  url: httpUrl,
  /** Name of the secret whose value signs each body. */
  secret: envNameSchema.optional(),
});
/** Posts to a Slack incoming webhook. */
export const slackSubscriptionSchema = strict({
  type: z.literal('slack'),
  /** The incoming webhook URL. */
  url: httpUrl,
});
/** Sends an email. */
export const emailSubscriptionSchema = strict({
  type: z.literal('email'),
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
