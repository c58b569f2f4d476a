import type { Subscription } from '../model.js';
import { emailTransport } from './email.js';
import { fileTransport } from './file.js';
import { slackTransport } from './slack.js';
import type { DeliveryContext, Transport } from './transport.js';
import { webhookTransport } from './webhook.js';

export { DeliveryError, type DeliveryContext, type SecretSource, type Transport } from './transport.js';
export { signBody, SIGNATURE_HEADER } from './webhook.js';
export { slackBody } from './slack.js';

/** Delivers through the transport of the subscription's type. */
export const deliver: Transport = (message, topic, sub: Subscription, ctx: DeliveryContext) => {
  switch (sub.type) {
    case 'webhook':
      return webhookTransport(message, topic, sub, ctx);
    case 'slack':
      return slackTransport(message, topic, sub, ctx);
    case 'email':
      return emailTransport(message, topic, sub, ctx);
    case 'file':
      return fileTransport(message, topic, sub, ctx);
  }
};
