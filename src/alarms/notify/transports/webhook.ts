import { createHmac } from 'node:crypto';
import type { ResolvedSubscription } from '../../../shared/index.js';
import { webhookBody } from '../model.js';
import { postJson } from './post-json.js';
import { DeliveryError, type Transport } from './transport.js';

/** The header carrying the body's HMAC, as GitHub names it `X-Hub-Signature-256`. */
export const SIGNATURE_HEADER = 'X-Slipway-Signature-256';

/** `sha256=<hex HMAC-SHA256 of the raw body>`, the value of {@link SIGNATURE_HEADER}. */
export function signBody(secret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/**
 * POSTs the notification as JSON (`webhookBody`), with `X-Slipway-Event` and `X-Slipway-Delivery`
 * headers, signed when the subscription names a secret.
 */
export const webhookTransport: Transport<Extract<ResolvedSubscription, { type: 'webhook' }>> = async (message, topic, sub, ctx) => {
  const raw = JSON.stringify(webhookBody(message, topic));
  const headers: Record<string, string> = { 'x-slipway-event': message.eventType, 'x-slipway-delivery': `${message.eventSeq}-${topic}` };
  if (sub.secret !== undefined) {
    const secret = await ctx.secrets.get(sub.secret);
    if (secret === undefined) throw new DeliveryError(`the signing secret ${sub.secret} does not exist`, false);
    headers[SIGNATURE_HEADER.toLowerCase()] = signBody(secret, raw);
  }
  await postJson(sub.url, raw, headers, ctx.signal);
};
