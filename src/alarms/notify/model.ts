import type { ResolvedSubscription, ResolvedSubscriptionFilter } from '../../shared/index.js';

/** How urgent a notification is. */
export type Severity = 'critical' | 'warning' | 'info';

/** The severities, most urgent first. */
export const SEVERITIES: readonly Severity[] = Object.freeze(['critical', 'warning', 'info']);

/** Which notifications a subscription receives (`filter` in the app model; an absent list lets everything through). */
export type SubscriptionFilter = ResolvedSubscriptionFilter;

/** A subscription with its optional filter. */
export type Subscription = ResolvedSubscription;

/** A notification built from one event, the same for every transport. */
export interface NotificationMessage {
  /** The event's type, e.g. `alarm.state.changed`. */
  readonly eventType: string;
  /** The event's sequence number in the log. */
  readonly eventSeq: number;
  /** When the event happened, ms since the epoch. */
  readonly timeMs: number;
  /** The event's subject, e.g. `alarm/gateway-5xx`. */
  readonly subject: string;
  readonly severity: Severity;
  /** One line, e.g. `ALARM: gateway-5xx (OK → ALARM)`; the email subject. */
  readonly title: string;
  /** A few lines of plain text. */
  readonly text: string;
  /** Labelled facts (service, environment, deployment, reason), shown as fields by Slack and email. */
  readonly fields: Readonly<Record<string, string>>;
  /** The event's data, as logged. */
  readonly data: Readonly<Record<string, unknown>>;
}

/** The JSON body a webhook receives (and a file sink writes as one line). */
export function webhookBody(m: NotificationMessage, topic: string): Record<string, unknown> {
  return {
    topic,
    event: m.eventType,
    seq: m.eventSeq,
    time: new Date(m.timeMs).toISOString(),
    subject: m.subject,
    severity: m.severity,
    title: m.title,
    text: m.text,
    data: m.data,
  };
}

/** A subscription as shown in dead letters and events: its type and target, never a secret. */
export function describeSubscription(s: Subscription): string {
  switch (s.type) {
    case 'webhook':
    case 'slack':
      return `${s.type} ${redactUrl(s.url)}`;
    case 'email':
      return `email ${s.to.join(', ')} via ${s.smtp.host}:${s.smtp.port}`;
    case 'file':
      return `file ${s.path}`;
  }
}

/** A URL without credentials or query (Slack webhook paths are secrets too, so only the origin stays). */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return u.hostname.endsWith('slack.com') ? `${u.origin}/…` : `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid url)';
  }
}
