import type { ResolvedSubscription } from '../../../shared/index.js';
import type { NotificationMessage } from '../model.js';
import { postJson } from './post-json.js';
import type { Transport } from './transport.js';

const ICON = { critical: ':red_circle:', warning: ':large_orange_circle:', info: ':large_green_circle:' } as const;

/** The body of a Slack incoming webhook: `text` (the fallback) and Block Kit `blocks`. */
export function slackBody(m: NotificationMessage): { text: string; blocks: unknown[] } {
  const fields = Object.entries(m.fields).map(([k, v]) => ({ type: 'mrkdwn', text: `*${k}*\n${v.length > 1900 ? `${v.slice(0, 1900)}…` : v}` }));
  return {
    text: `${ICON[m.severity]} ${m.title}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `${ICON[m.severity]} *${m.title}*` } },
      // Slack allows at most 10 fields per section.
      ...(fields.length === 0 ? [] : [{ type: 'section', fields: fields.slice(0, 10) }]),
      { type: 'context', elements: [{ type: 'mrkdwn', text: `${m.eventType} · ${new Date(m.timeMs).toISOString()}` }] },
    ],
  };
}

/** Posts to a Slack-compatible incoming webhook. */
export const slackTransport: Transport<Extract<ResolvedSubscription, { type: 'slack' }>> = async (message, _topic, sub, ctx) => {
  await postJson(sub.url, JSON.stringify(slackBody(message)), {}, ctx.signal);
};
