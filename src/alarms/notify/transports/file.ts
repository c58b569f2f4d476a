import fs from 'node:fs/promises';
import path from 'node:path';
import type { ResolvedSubscription } from '../../../shared/index.js';
import { webhookBody } from '../model.js';
import type { Transport } from './transport.js';

/** The last append to each file: appends to one file are chained so lines keep the order deliveries started in. */
const tails = new Map<string, Promise<void>>();

/** Appends the webhook body as one JSON line (the path is relative to the app's directory). */
export const fileTransport: Transport<Extract<ResolvedSubscription, { type: 'file' }>> = (message, topic, sub, ctx) => {
  const file = path.resolve(ctx.baseDir, sub.path);
  const line = `${JSON.stringify(webhookBody(message, topic))}\n`;
  const write = (tails.get(file) ?? Promise.resolve()).catch(() => undefined).then(async () => {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.appendFile(file, line);
  });
  tails.set(file, write);
  void write.finally(() => {
    if (tails.get(file) === write) tails.delete(file);
  }).catch(() => undefined);
  return write;
};
