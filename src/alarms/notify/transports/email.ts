import nodemailer from 'nodemailer';
import type { ResolvedSubscription } from '../../../shared/index.js';
import { DeliveryError, type Transport } from './transport.js';

/**
 * Sends the notification as a plain-text email over SMTP with nodemailer: subject = the title, body
 * = the text and the event's JSON. One connection per message, bounded by the attempt's timeout.
 */
export const emailTransport: Transport<Extract<ResolvedSubscription, { type: 'email' }>> = async (message, topic, sub, ctx) => {
  const transport = nodemailer.createTransport({
    host: sub.smtp.host,
    port: sub.smtp.port,
    secure: false,
    connectionTimeout: ctx.timeoutMs,
    greetingTimeout: ctx.timeoutMs,
    socketTimeout: ctx.timeoutMs,
  });
  const abort = (): void => transport.close();
  ctx.signal.addEventListener('abort', abort, { once: true });
  try {
    await transport.sendMail({
      from: sub.smtp.from,
      to: [...sub.to],
      subject: `[slipway] ${message.title}`,
      text: `${message.text}\n\nTopic: ${topic}\nEvent: ${message.eventType} #${message.eventSeq} at ${new Date(message.timeMs).toISOString()}\n`,
      headers: { 'X-Slipway-Event': message.eventType },
    });
  } catch (err) {
    throw new DeliveryError(ctx.signal.aborted ? 'timed out' : `SMTP: ${(err as Error).message}`);
  } finally {
    ctx.signal.removeEventListener('abort', abort);
    transport.close();
  }
};
